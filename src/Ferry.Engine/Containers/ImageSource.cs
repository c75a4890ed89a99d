using System.Net;
using System.Text.Json.Nodes;
using Ferry.Engine.Resources;

namespace Ferry.Engine.Containers;

/// <summary>
/// An image in a registry as a <c>registry-image</c> (or <c>docker-image</c>) source names it: <c>repository</c>,
/// <c>tag</c> (default <c>latest</c>), or a digest from a pinned <c>version</c>; <c>username</c>/<c>password</c>.
/// A registry on a loopback address (127.0.0.0/8, localhost, [::1]) speaks plain HTTP, as Concourse's type assumes;
/// <c>insecure: true</c> allows it for another registry.
/// </summary>
public sealed record ImageSource(string Repository, string Tag, string? Digest, string? Username, string? Password, bool Insecure)
{
    /// <summary>The types whose source is an image in a registry.</summary>
    public static readonly IReadOnlySet<string> Types = new HashSet<string>(StringComparer.Ordinal) { "registry-image", "docker-image" };

    /// <summary>What a source of those types may hold; unknown fields are warnings (Concourse's type has many for AWS, mirrors …).</summary>
    public static readonly ConfigSchema Schema = new([
        new ConfigField("repository", FieldKind.String, Required: true),
        new ConfigField("tag", FieldKind.Any),
        new ConfigField("username", FieldKind.String),
        new ConfigField("password", FieldKind.String),
        new ConfigField("insecure", FieldKind.Boolean),
        new ConfigField("variant", FieldKind.String),
        new ConfigField("semver_constraint", FieldKind.String),
        new ConfigField("debug", FieldKind.Boolean),
    ]);

    /// <summary>What podman pulls: <c>repository@digest</c> when pinned, else <c>repository:tag</c>.</summary>
    public string Reference => Digest is null ? $"{Repository}:{Tag}" : $"{Repository}@{Digest}";

    /// <summary>Whether podman may verify TLS: not for loopback registries (plain HTTP) or <c>insecure: true</c>.</summary>
    public bool TlsVerify => !Insecure && !IsLoopback(Host);

    /// <summary>The registry's host (and port) as the repository names it; Docker Hub when it names none.</summary>
    public string Host
    {
        get
        {
            var first = Repository.Split('/')[0];
            var isHost = Repository.Contains('/', StringComparison.Ordinal) && (first.Contains('.', StringComparison.Ordinal) || first.Contains(':', StringComparison.Ordinal) || first == "localhost");
            return isHost ? first : "docker.io";
        }
    }

    /// <summary>Reads a source; <paramref name="version"/> (<c>{digest: sha256:…}</c>) pins the image.</summary>
    /// <exception cref="ResourceConfigException">The source has no repository or a field of the wrong kind.</exception>
    public static ImageSource From(JsonObject source, IReadOnlyDictionary<string, string>? version, string path)
    {
        Schema.Enforce(source, path);
        var repository = Text(source["repository"])!;
        if (repository.Length == 0)
            throw new ResourceConfigException($"{path}.repository: must not be empty");
        if (repository.Contains('@', StringComparison.Ordinal) || repository.Split('/')[^1].Contains(':', StringComparison.Ordinal))
            throw new ResourceConfigException($"{path}.repository: '{repository}' must not hold a tag or digest; use tag: (or version: {{digest: …}})");
        var digest = version?.GetValueOrDefault("digest");
        return new ImageSource(
            repository,
            Text(source["tag"]) is { Length: > 0 } tag ? tag : "latest",
            string.IsNullOrEmpty(digest) ? null : digest,
            Text(source["username"]),
            Text(source["password"]),
            source["insecure"] is JsonValue v && v.TryGetValue<bool>(out var insecure) && insecure);
    }

    public override string ToString() => Reference;

    // A YAML tag like 3.19 arrives as a number; it names the tag all the same.
    private static string? Text(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue<string>(out var s) ? s : node?.ToJsonString();

    private static bool IsLoopback(string host)
    {
        var name = host.StartsWith('[') ? host[1..host.IndexOf(']', StringComparison.Ordinal)] : host.Split(':')[0];
        return name == "localhost" || (IPAddress.TryParse(name, out var address) && IPAddress.IsLoopback(address));
    }
}
