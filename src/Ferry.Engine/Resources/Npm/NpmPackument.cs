using System.Globalization;
using System.Text.Json.Nodes;
using Ferry.Core.Versions;
using Ferry.Engine.Resources.RegistryImage;

namespace Ferry.Engine.Resources.Npm;

/// <summary>
/// A package's document on the registry: its <c>versions</c> (each a manifest with <c>dist</c>), <c>time</c> (when each
/// was published) and <c>dist-tags</c> (where each tag points now; the registry keeps no history of them).
/// </summary>
internal sealed class NpmPackument(NpmPackageName package, JsonObject document)
{
    public NpmPackageName Package { get; } = package;

    public IReadOnlyDictionary<string, string> DistTags { get; } =
        (document["dist-tags"] as JsonObject ?? []).Where(p => p.Value is JsonValue v && v.TryGetValue<string>(out _))
            .ToDictionary(p => p.Key, p => p.Value!.GetValue<string>(), StringComparer.Ordinal);

    private JsonObject Versions => document["versions"] as JsonObject ?? [];

    public bool Has(string version) => Versions[version] is JsonObject;

    /// <summary>Every version, oldest publish first; ties (and versions without a time) in semver order.</summary>
    public IReadOnlyList<string> InPublishOrder() =>
        [.. Versions.Where(p => p.Value is JsonObject).Select(p => p.Key)
            .OrderBy(v => PublishedAt(v) ?? DateTimeOffset.MaxValue)
            .ThenBy(Semver.TryParse, Comparer<Semver?>.Create((a, b) => a is null ? (b is null ? 0 : -1) : a.CompareTo(b)))
            .ThenBy(v => v, StringComparer.Ordinal)];

    public DateTimeOffset? PublishedAt(string version) =>
        document["time"]?[version] is JsonValue v && v.TryGetValue<string>(out var text) &&
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at
            : null;

    /// <summary>The manifest of <paramref name="version"/>; a terminal error naming the newest versions when there is none.</summary>
    public JsonObject Manifest(string version, string what)
    {
        if (Versions[version] is JsonObject manifest)
            return manifest;
        var newest = InPublishOrder().TakeLast(5).Reverse().ToList();
        throw ResourceException.Terminal($"{what}: version {version} of {Package} does not exist " +
                                         $"({(newest.Count == 0 ? "it has no versions" : "newest: " + string.Join(", ", newest))})");
    }

    /// <summary>Where <paramref name="tag"/> points; an error listing the tags there are when it points nowhere.</summary>
    public string Tagged(string tag, string what) =>
        DistTags.TryGetValue(tag, out var version)
            ? version
            : throw ResourceException.Retryable($"{what}: {Package} has no dist-tag '{tag}' (dist-tags: {(DistTags.Count == 0 ? "none" : string.Join(", ", DistTags.Keys.Order(StringComparer.Ordinal)))})");

    public ResourceVersion VersionOf(string version)
    {
        var metadata = new List<MetadataField>();
        if (PublishedAt(version) is { } at)
            metadata.Add(new MetadataField("published", at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)));
        var tags = DistTags.Where(p => p.Value == version).Select(p => p.Key).Order(StringComparer.Ordinal).ToList();
        if (tags.Count > 0)
            metadata.Add(new MetadataField("dist_tags", string.Join(", ", tags)));
        if (Versions[version]?["dist"]?["shasum"] is JsonValue s && s.TryGetValue<string>(out var shasum))
            metadata.Add(new MetadataField("shasum", shasum));
        return new ResourceVersion(new Dictionary<string, string> { ["version"] = version }, metadata);
    }
}
