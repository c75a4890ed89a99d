namespace Ferry.Core.Resolving;

/// <summary>Collects the rows of a <see cref="ResolverSnapshot"/> one by one (the scheduler reads them from the store).</summary>
public sealed class ResolverSnapshotBuilder
{
    private readonly List<SnapshotResource> _resources = [];
    private readonly List<SnapshotJob> _jobs = [];
    private readonly List<SnapshotVersion> _versions = [];
    private readonly List<SnapshotBuild> _builds = [];
    private readonly List<SnapshotBuildOutput> _outputs = [];
    private readonly List<SnapshotBuildInput> _inputs = [];
    private readonly List<SnapshotBuildPipe> _pipes = [];

    public ResolverSnapshotBuilder Resource(int id, string name) => Add(_resources, new SnapshotResource(id, name));
    public ResolverSnapshotBuilder Job(int id, string name) => Add(_jobs, new SnapshotJob(id, name));

    /// <summary>A version of the resource in its current scope.</summary>
    public ResolverSnapshotBuilder Version(int resourceId, long versionId, long checkOrder, bool disabled = false) =>
        Add(_versions, new SnapshotVersion(resourceId, versionId, checkOrder, disabled));

    public ResolverSnapshotBuilder Build(long id, int jobId, bool succeeded, long? rerunOf = null) =>
        Add(_builds, new SnapshotBuild(id, jobId, succeeded, rerunOf));

    public ResolverSnapshotBuilder Output(long buildId, int resourceId, long versionId) =>
        Add(_outputs, new SnapshotBuildOutput(buildId, resourceId, versionId));

    public ResolverSnapshotBuilder Input(long buildId, string inputName, int resourceId, long versionId) =>
        Add(_inputs, new SnapshotBuildInput(buildId, inputName, resourceId, versionId));

    public ResolverSnapshotBuilder Pipe(long fromBuildId, long toBuildId) => Add(_pipes, new SnapshotBuildPipe(fromBuildId, toBuildId));

    public ResolverSnapshot ToSnapshot() => new(_resources, _jobs, _versions, _builds, _outputs, _inputs, _pipes);

    private ResolverSnapshotBuilder Add<T>(List<T> list, T row)
    {
        list.Add(row);
        return this;
    }
}
