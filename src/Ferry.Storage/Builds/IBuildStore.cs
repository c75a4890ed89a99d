using Ferry.Core.Builds;
using Ferry.Core.Resolving;

namespace Ferry.Storage.Builds;

public interface IBuildStore
{
    /// <summary>
    /// Creates a pending build with its inputs and build pipes in one transaction. Builds of a job are named by a
    /// counter per job ("1", "2"); a rerun of build "2" is "2.1", "2.2"; a build without a job is named by its id.
    /// </summary>
    Task<BuildRecord> CreateBuildAsync(NewBuild build, CancellationToken cancellationToken = default);

    /// <summary>Atomically moves the oldest pending build to started for <paramref name="claimedBy"/>; null when none is pending.</summary>
    Task<BuildRecord?> ClaimNextBuildAsync(string claimedBy, CancellationToken cancellationToken = default);

    /// <summary>Moves a build to a final status; throws <see cref="InvalidOperationException"/> for a move the state machine refuses.</summary>
    Task<BuildRecord> FinishBuildAsync(long buildId, BuildStatus status, string? reason = null, CancellationToken cancellationToken = default);

    /// <summary>A pending build is aborted at once; a started one gets its abort-requested flag for its runner. Null when there is no such build.</summary>
    Task<BuildRecord?> RequestAbortAsync(long buildId, string? reason = null, CancellationToken cancellationToken = default);

    Task<BuildRecord?> GetBuildAsync(long buildId, CancellationToken cancellationToken = default);

    /// <summary>The job's build by name ("3", "3.1").</summary>
    Task<BuildRecord?> GetJobBuildAsync(int jobId, string name, CancellationToken cancellationToken = default);

    /// <summary>The pipeline config version the build was planned with; null for a build created without one.</summary>
    Task<int?> GetBuildConfigNumberAsync(long buildId, CancellationToken cancellationToken = default);

    /// <summary>Builds newest first, filtered by pipeline and/or job, paged by id.</summary>
    Task<IReadOnlyList<BuildRecord>> ListBuildsAsync(BuildQuery query, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<BuildInputRecord>> GetBuildInputsAsync(long buildId, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<BuildOutputRecord>> GetBuildOutputsAsync(long buildId, CancellationToken cancellationToken = default);

    /// <summary>Records a version a build produced (a put and its implicit get); saves it as the resource's newest version if new.</summary>
    /// <summary>
    /// The builds that got (inputs) or put (outputs) each of the versions, newest first, at most <paramref name="perVersion"/> of
    /// each kind per version: the resource page's "used by".
    /// </summary>
    Task<IReadOnlyList<VersionUse>> ListVersionUsesAsync(IReadOnlyCollection<long> versionIds, int perVersion, CancellationToken cancellationToken = default);

    Task<VersionRecord> SaveBuildOutputAsync(long buildId, int resourceId, Ferry.Core.Versions.ResourceVersion version, CancellationToken cancellationToken = default);

    /// <summary>Pending and started builds per job of the pipeline, for serial, serial_groups and max_in_flight.</summary>
    Task<IReadOnlyList<JobInFlight>> GetInFlightAsync(int pipelineId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Every active job of these pipelines (by pipeline, then id) with its newest finished build and its newest pending
    /// or started one, in a fixed number of reads however many pipelines and builds there are (the dashboard).
    /// </summary>
    Task<IReadOnlyList<JobLatest>> ListJobLatestAsync(IReadOnlyCollection<int> pipelineIds, CancellationToken cancellationToken = default);

    /// <summary>
    /// Everything the resolver reads for one pipeline: resources, active jobs, the versions of each resource's current
    /// scope, the pipeline's builds (all statuses; <see cref="SnapshotBuild.Succeeded"/> says which vouch), outputs of
    /// succeeded builds, inputs of all builds and the build pipes.
    /// </summary>
    Task<ResolverRows> GetResolverRowsAsync(int pipelineId, CancellationToken cancellationToken = default);

    /// <summary>
    /// The resolver's rows for one pipeline, all of them when <paramref name="since"/> is null, else only what changed
    /// after it (new and changed versions, new builds and builds that ended, each with its inputs, outputs and pipes),
    /// by indexed reads whose cost follows the change, not the history. Falls back to all rows when the pipeline was set
    /// again since. Null when the pipeline no longer exists.
    /// </summary>
    Task<ResolverRead?> ReadResolverAsync(int pipelineId, ResolverCursor? since, CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes an imported history into the pipeline in one transaction, in batches: versions, builds (finished,
    /// numbered per job in key order), inputs, outputs and pipes. Throws <see cref="StoreException"/> for a row naming a
    /// version or build the import does not have.
    /// </summary>
    Task<HistoryImported> ImportHistoryAsync(HistoryImport import, CancellationToken cancellationToken = default);
}

/// <param name="JobId">Null for a build that belongs to no job (a promotion, later).</param>
/// <param name="PipesFrom">Upstream builds that fed this build through passed constraints.</param>
public sealed record NewBuild(
    int PipelineId,
    int? JobId,
    string PlanJson,
    IReadOnlyList<NewBuildInput> Inputs,
    IReadOnlyList<long> PipesFrom,
    long? RerunOf = null,
    string? CreatedBy = null)
{
    /// <summary>The pipeline config version the plan was compiled from: the runner reads types and secrets from it.</summary>
    public int? ConfigNumber { get; init; }

    /// <summary>The name of a build of no job (<c>staging r4 (promotion 12)</c>); its id when null. A job's build is numbered.</summary>
    public string? Name { get; init; }
}

public sealed record NewBuildInput(string Name, int ResourceId, long VersionId, bool FirstOccurrence);

public sealed record BuildRecord(
    long Id,
    int? PipelineId,
    string? PipelineName,
    int? JobId,
    string? JobName,
    string Name,
    BuildStatus Status,
    string PlanJson,
    long? RerunOf,
    string? CreatedBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? EndedAt,
    string? Reason,
    string? ClaimedBy,
    bool AbortRequested)
{
    /// <summary>How people see the build: <c>hello/unit #3</c>, or a promotion's <c>release-train/staging r4 (promotion 12)</c>.</summary>
    public string Title => (PipelineName, JobName) switch
    {
        ({ } pipeline, { } job) => $"{pipeline}/{job} #{Name}",
        ({ } pipeline, null) => $"{pipeline}/{Name}",
        _ => $"build {Name}",
    };
}

public sealed record BuildInputRecord(long BuildId, string Name, int ResourceId, string ResourceName, long VersionId, Ferry.Core.Versions.ResourceVersion Version, bool FirstOccurrence);

/// <summary>A build that got (<paramref name="Output"/> false) or put (true) a version.</summary>
/// <param name="JobName">Null for a promotion's build.</param>
public sealed record VersionUse(long VersionId, bool Output, long BuildId, string? JobName, string BuildName, BuildStatus Status, DateTimeOffset CreatedAt);

public sealed record BuildOutputRecord(long BuildId, int ResourceId, string ResourceName, long VersionId, Ferry.Core.Versions.ResourceVersion Version);

/// <param name="BeforeId">Only builds with a smaller id (the last id of the previous page).</param>
public sealed record BuildQuery(int? PipelineId = null, int? JobId = null, long? BeforeId = null, int Limit = 50)
{
    /// <summary>Only builds of these pipelines (those a user may see); every build when null.</summary>
    public IReadOnlyCollection<int>? PipelineIds { get; init; }
}

public sealed record JobInFlight(int JobId, int Pending, int Started);

/// <param name="Finished">The newest build that ended; null before the first.</param>
/// <param name="Running">The newest build pending or started; null when none is.</param>
public sealed record JobLatest(JobRecord Job, BuildRecord? Finished, BuildRecord? Running);

public sealed record ResolverRows(
    IReadOnlyList<SnapshotResource> Resources,
    IReadOnlyList<SnapshotJob> Jobs,
    IReadOnlyList<SnapshotVersion> Versions,
    IReadOnlyList<SnapshotBuild> Builds,
    IReadOnlyList<SnapshotBuildOutput> Outputs,
    IReadOnlyList<SnapshotBuildInput> Inputs,
    IReadOnlyList<SnapshotBuildPipe> Pipes);
