using Ferry.Core.Builds;

namespace Ferry.Storage.Workers;

/// <summary>Whether a remote worker beats (<see cref="Running"/>) or stopped beating and had its builds ended (<see cref="Lost"/>).</summary>
public enum WorkerState
{
    Running,
    Lost,
}

/// <summary>A remote worker as the servers know it, with the builds it runs now.</summary>
public sealed record WorkerRecord(
    string Name, IReadOnlyList<string> Tags, string Runtime, int Capacity, string Version, WorkerState State,
    DateTimeOffset RegisteredAt, DateTimeOffset HeartbeatAt, DateTimeOffset? LostAt, IReadOnlyList<long> Running);

/// <summary>A started build and who runs it: a node's embedded worker (<see cref="Worker"/> null) or a remote worker.</summary>
public sealed record StartedBuild(long Id, string ClaimedBy, string? Worker);

/// <summary>What a remote worker says of itself when it registers.</summary>
public sealed record WorkerInfo(IReadOnlyList<string> Tags, string Runtime, int Capacity, string Version);

/// <summary>The answer to a heartbeat: which of the worker's running builds to abort, and which are no longer its.</summary>
public sealed record WorkerBeat(IReadOnlyList<long> Abort, IReadOnlyList<long> Drop);

/// <summary>What one sweep for lost workers ended: the workers found without a heartbeat, and the builds errored.</summary>
public sealed record WorkerSweep(IReadOnlyList<WorkerRecord> Lost, IReadOnlyList<long> ErroredBuilds);

/// <summary>
/// Who claims a build: a server's embedded worker (by its node id, untagged) or a remote worker (by its name, with its
/// tags). A worker with tags runs only builds whose tags it all has; an untagged one only untagged builds.
/// </summary>
public sealed record BuildClaimer(string Name, IReadOnlyList<string> Tags, bool Remote)
{
    public static BuildClaimer Embedded(string nodeId) => new(nodeId, [], Remote: false);
}

/// <summary>
/// Remote workers (<c>ferry worker</c>): their registration and heartbeat, the builds they run, and the events those
/// send back. A worker that stops beating is lost and its started builds are errored by whichever server sweeps first.
/// </summary>
public interface IWorkerStore
{
    /// <summary>
    /// Registers the worker as running (again), and errors its started builds it no longer runs (not in
    /// <paramref name="running"/>: the worker restarted without them).
    /// </summary>
    Task<WorkerRecord> RegisterWorkerAsync(string name, WorkerInfo info, IReadOnlyCollection<long> running, CancellationToken cancellationToken = default);

    /// <summary>Records the beat; null when the worker is not registered as running (unknown, or taken for lost): it registers again.</summary>
    Task<WorkerBeat?> HeartbeatWorkerAsync(string name, IReadOnlyCollection<long> running, CancellationToken cancellationToken = default);

    /// <summary>Every worker by name, with the builds each runs.</summary>
    Task<IReadOnlyList<WorkerRecord>> ListWorkersAsync(CancellationToken cancellationToken = default);

    /// <summary>Every started build with who runs it.</summary>
    Task<IReadOnlyList<StartedBuild>> ListStartedBuildsAsync(CancellationToken cancellationToken = default);

    Task<WorkerRecord?> GetWorkerAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>
    /// Marks lost the running workers whose last heartbeat is older than <paramref name="timeout"/>, and errors every
    /// build a lost worker left started, with a reason naming the worker and an error and status event.
    /// </summary>
    Task<WorkerSweep> EndLostWorkersAsync(TimeSpan timeout, CancellationToken cancellationToken = default);

    /// <summary>Atomically moves the oldest pending build <paramref name="claimer"/> may run to started for it; null when none.</summary>
    Task<BuildRecord?> ClaimNextBuildAsync(BuildClaimer claimer, CancellationToken cancellationToken = default);

    /// <summary>The build's tags: the union of its steps' tags.</summary>
    Task<IReadOnlyList<string>> GetBuildTagsAsync(long buildId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores those of <paramref name="events"/> the build does not have yet (the worker sent <paramref name="from"/>
    /// before them) and answers how many of the worker's events the build now has; null when the build is not a started
    /// build of <paramref name="worker"/>.
    /// </summary>
    Task<long?> AppendWorkerEventsAsync(long buildId, string worker, long from, IReadOnlyList<BuildEvent> events, CancellationToken cancellationToken = default);

    /// <summary>How many events the worker sent for the build; null when the build was not claimed by <paramref name="worker"/>.</summary>
    Task<long?> GetWorkerEventCountAsync(long buildId, string worker, CancellationToken cancellationToken = default);
}
