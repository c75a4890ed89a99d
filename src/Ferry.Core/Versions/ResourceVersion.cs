namespace Ferry.Core.Versions;

/// <summary>
/// One observed version of a resource as a resource type reports it: Concourse's
/// <c>{"version": {...}, "metadata": [{name, value}]}</c>. Version fields are strings, as in Concourse,
/// so two versions are equal when their fields are.
/// </summary>
public sealed record ResourceVersion(IReadOnlyDictionary<string, string> Version, IReadOnlyList<MetadataField> Metadata)
{
    public ResourceVersion(IReadOnlyDictionary<string, string> version)
        : this(version, []) { }

    /// <summary>A stable text form of the version (keys sorted), for equality, hashing and display: <c>ref:3f2a…</c>.</summary>
    public string Key => string.Join(",", Version.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}:{p.Value}"));

    public bool Equals(ResourceVersion? other) => other is not null && Key == other.Key;

    public override int GetHashCode() => Key.GetHashCode(StringComparison.Ordinal);
}

public sealed record MetadataField(string Name, string Value);
