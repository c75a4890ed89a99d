using System.Net;

namespace Ferry.Engine.Resources.RegistryImage;

/// <summary>
/// Where an image repository lives: <c>alpine</c> is Docker Hub's <c>library/alpine</c>, <c>ghcr.io/org/app</c> and
/// <c>127.0.0.1:5000/app</c> name their registry. The first path component is a registry when it has a dot or a port or
/// is <c>localhost</c>, as the docker CLI reads it.
/// </summary>
internal sealed record ImageRepository(string Registry, string Path, bool PlainHttp)
{
    private const string DockerHub = "docker.io";

    /// <summary>The host the registry API answers on (Docker Hub's is not docker.io).</summary>
    public string ApiHost => Registry == DockerHub ? "registry-1.docker.io" : Registry;

    public Uri ApiRoot => new($"{(PlainHttp ? "http" : "https")}://{ApiHost}/v2/");

    /// <summary>As people write it: <c>127.0.0.1:5000/app</c>, <c>alpine</c> for Docker Hub's library images.</summary>
    public string Display => Registry == DockerHub ? (Path.StartsWith("library/", StringComparison.Ordinal) ? Path["library/".Length..] : Path) : $"{Registry}/{Path}";

    /// <param name="insecure"><c>source.insecure</c>: plain HTTP whatever the host.</param>
    public static ImageRepository Parse(string repository, bool insecure, string field = "source.repository")
    {
        var text = repository.Trim();
        if (text.Length == 0)
            throw new ResourceConfigException($"{field}: required");
        if (text.Contains('@', StringComparison.Ordinal))
            throw new ResourceConfigException($"{field}: '{repository}' includes a digest; a version names the digest, the repository does not");
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var first = slash < 0 ? null : text[..slash];
        string registry, path;
        if (first is not null && (first.Contains('.', StringComparison.Ordinal) || first.Contains(':', StringComparison.Ordinal) || first == "localhost"))
        {
            registry = first;
            path = text[(slash + 1)..];
        }
        else
        {
            registry = DockerHub;
            path = slash < 0 ? "library/" + text : text;
        }
        if (registry is "index.docker.io" or "registry-1.docker.io")
            registry = DockerHub;
        if (path.Contains(':', StringComparison.Ordinal))
            throw new ResourceConfigException($"{field}: '{repository}' includes a tag; give the tag in source.tag");
        if (path.Length == 0 || path.Split('/').Any(c => c.Length == 0 || !c.All(ValidPathChar)))
            throw new ResourceConfigException($"{field}: '{repository}' is not a repository name (lowercase letters, digits, '.', '_', '-' and '/' separated components)");
        return new ImageRepository(registry, path, insecure || IsLoopback(registry));
    }

    /// <summary>127.0.0.0/8, localhost and [::1], with or without a port: registries there speak plain HTTP, as in Concourse.</summary>
    public static bool IsLoopback(string registry)
    {
        var host = registry;
        if (host.StartsWith('['))
        {
            var end = host.IndexOf(']', StringComparison.Ordinal);
            host = end < 0 ? host : host[1..end];
        }
        else if (host.LastIndexOf(':') is var colon and > 0)
        {
            host = host[..colon];
        }
        if (host == "localhost")
            return true;
        return IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address);
    }

    private static bool ValidPathChar(char c) => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '.' or '_' or '-';
}
