using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Ferry.Core.Promotion;

/// <summary>
/// An immutable set <c>{resource -> version}</c> that moves through environments as one unit. Its id is the SHA-256 of
/// the canonical JSON of the set, so the same versions always make the same release; the short number (<c>r42</c>)
/// is assigned by the store in the order releases are formed.
/// </summary>
public sealed class Release
{
    private Release(string id, IReadOnlyList<ReleaseItem> items, string canonicalJson)
    {
        Id = id;
        Items = items;
        CanonicalJson = canonicalJson;
    }

    /// <summary>The version field that names the branch of a per-pull-request release's commit.</summary>
    public const string BranchField = "branch";

    /// <summary>Lower-case hex SHA-256 of <see cref="CanonicalJson"/>.</summary>
    public string Id { get; }

    /// <summary>Sorted by resource name (ordinal).</summary>
    public IReadOnlyList<ReleaseItem> Items { get; }

    /// <summary><c>{"app":{"ref":"3f2a"},"lib":{"version":"1.2.0"}}</c>: resources and version fields in ordinal order, no spaces.</summary>
    public string CanonicalJson { get; }

    public ReleaseItem? Find(string resource) => Items.FirstOrDefault(i => i.Resource == resource);

    public static Release Create(IEnumerable<ReleaseItem> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var sorted = items.OrderBy(i => i.Resource, StringComparer.Ordinal).ToList();
        if (sorted.Count == 0)
        {
            throw new ArgumentException("forming a release: a release carries at least one resource version", nameof(items));
        }
        for (var i = 0; i < sorted.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(sorted[i].Resource))
            {
                throw new ArgumentException("forming a release: a resource name is empty", nameof(items));
            }
            if (i > 0 && sorted[i].Resource == sorted[i - 1].Resource)
            {
                throw new ArgumentException($"forming a release: resource '{sorted[i].Resource}' appears twice", nameof(items));
            }
        }
        var json = Canonical(sorted);
        return new Release(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json))), sorted, json);
    }

    public static Release Create(params ReleaseItem[] items) => Create((IEnumerable<ReleaseItem>)items);

    /// <summary>Reads a release back from its canonical JSON (as the store keeps it); the id is recomputed.</summary>
    public static Release FromCanonicalJson(string json)
    {
        var parsed = JsonSerializer.Deserialize<Dictionary<string, Dictionary<string, string>>>(json)
            ?? throw new FormatException("reading a release: the JSON is null");
        return Create(parsed.Select(p => new ReleaseItem(p.Key, p.Value)));
    }

    private static string Canonical(IReadOnlyList<ReleaseItem> items)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var item in items)
            {
                writer.WriteStartObject(item.Resource);
                foreach (var field in item.Version.OrderBy(f => f.Key, StringComparer.Ordinal))
                {
                    writer.WriteString(field.Key, field.Value);
                }
                writer.WriteEndObject();
            }
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}

/// <summary>One resource's version in a release: the version's fields (<c>{"ref":"3f2a…"}</c>), no metadata.</summary>
public sealed record ReleaseItem(string Resource, IReadOnlyDictionary<string, string> Version)
{
    /// <summary><c>ref:3f2a…</c>, keys sorted, as <see cref="Versions.ResourceVersion.Key"/>.</summary>
    public string VersionKey => string.Join(",", Version.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}:{p.Value}"));
}
