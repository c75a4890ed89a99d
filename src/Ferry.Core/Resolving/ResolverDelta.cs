namespace Ferry.Core.Resolving;

/// <summary>
/// What changed in a pipeline's history since a snapshot was read, as whole rows: <see cref="ResolverSnapshot.Apply"/>
/// folds it into a new snapshot. Every row replaces what the snapshot had under the same key, so reading a row twice
/// (the store rereads a window it cannot yet vouch for) changes nothing.
/// </summary>
/// <param name="Versions">Versions added or changed (check order, disabled), by id.</param>
/// <param name="ReloadedResources">Resources whose whole current-scope version list is given here (rare changes the store cannot list row by row).</param>
/// <param name="Builds">Builds added or changed (a status that ended). Each comes with all its rows: the outputs (when succeeded), inputs and pipes into it listed here replace the ones the snapshot had.</param>
public sealed record ResolverDelta(
    IReadOnlyList<SnapshotVersion> Versions,
    IReadOnlyDictionary<int, IReadOnlyList<SnapshotVersion>> ReloadedResources,
    IReadOnlyList<SnapshotBuild> Builds,
    IReadOnlyList<SnapshotBuildOutput> Outputs,
    IReadOnlyList<SnapshotBuildInput> Inputs,
    IReadOnlyList<SnapshotBuildPipe> Pipes)
{
    public static readonly ResolverDelta None = new([], new Dictionary<int, IReadOnlyList<SnapshotVersion>>(), [], [], [], []);

    public bool IsEmpty => Versions.Count == 0 && ReloadedResources.Count == 0 && Builds.Count == 0;
}
