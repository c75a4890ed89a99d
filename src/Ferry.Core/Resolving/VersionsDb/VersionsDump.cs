namespace Ferry.Core.Resolving.VersionsDb;

/// <summary>A loaded versions dump: the snapshot plus the names the dump's expected results use.</summary>
public sealed class VersionsDump
{
    /// <summary>The job a dump's inputs are resolved for (its history, when the dump has it).</summary>
    public const string CurrentJob = "current";

    private readonly Dictionary<long, string> _versionNames;
    private readonly Dictionary<string, long> _versionIds;

    internal VersionsDump(ResolverSnapshot snapshot, Dictionary<long, string> versionNames, VersionsDumpRows rows)
    {
        Snapshot = snapshot;
        Rows = rows;
        _versionNames = versionNames;
        _versionIds = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (id, name) in versionNames)
        {
            _versionIds.TryAdd(name, id);
        }
    }

    public ResolverSnapshot Snapshot { get; }

    /// <summary>The rows the snapshot was built from (<c>ferry debug import-versions-db</c> writes them into a store).</summary>
    public VersionsDumpRows Rows { get; }

    /// <summary><c>imported-r{ResourceID}v{VersionID}</c>, as Concourse's regression suite names versions.</summary>
    public string VersionName(long versionId) => _versionNames.TryGetValue(versionId, out var n) ? n : $"imported-v{versionId}";

    /// <summary>The version a name like <c>imported-r1v26528</c> names, or null.</summary>
    public long? VersionId(string name) => _versionIds.TryGetValue(name, out var id) ? id : null;
}

/// <summary>A dump's rows, ids as in the dump; <see cref="Versions"/> are each resource's current-scope versions.</summary>
public sealed record VersionsDumpRows(
    IReadOnlyList<SnapshotResource> Resources,
    IReadOnlyList<SnapshotJob> Jobs,
    IReadOnlyList<SnapshotVersion> Versions,
    IReadOnlyList<SnapshotBuild> Builds,
    IReadOnlyList<SnapshotBuildOutput> Outputs,
    IReadOnlyList<SnapshotBuildInput> Inputs,
    IReadOnlyList<SnapshotBuildPipe> Pipes);
