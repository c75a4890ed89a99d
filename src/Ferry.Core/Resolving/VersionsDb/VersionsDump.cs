namespace Ferry.Core.Resolving.VersionsDb;

/// <summary>A loaded versions dump: the snapshot plus the names the dump's expected results use.</summary>
public sealed class VersionsDump
{
    /// <summary>The job a dump's inputs are resolved for (its history, when the dump has it).</summary>
    public const string CurrentJob = "current";

    private readonly Dictionary<long, string> _versionNames;
    private readonly Dictionary<string, long> _versionIds;

    internal VersionsDump(ResolverSnapshot snapshot, Dictionary<long, string> versionNames)
    {
        Snapshot = snapshot;
        _versionNames = versionNames;
        _versionIds = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (id, name) in versionNames)
        {
            _versionIds.TryAdd(name, id);
        }
    }

    public ResolverSnapshot Snapshot { get; }

    /// <summary><c>imported-r{ResourceID}v{VersionID}</c>, as Concourse's regression suite names versions.</summary>
    public string VersionName(long versionId) => _versionNames.TryGetValue(versionId, out var n) ? n : $"imported-v{versionId}";

    /// <summary>The version a name like <c>imported-r1v26528</c> names, or null.</summary>
    public long? VersionId(string name) => _versionIds.TryGetValue(name, out var id) ? id : null;
}
