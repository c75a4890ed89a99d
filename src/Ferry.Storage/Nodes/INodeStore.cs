namespace Ferry.Storage.Nodes;

/// <summary>A server node: one start of <c>ferry server</c> on this store.</summary>
public sealed record NodeRecord(string Id, string Name, DateTimeOffset StartedAt, DateTimeOffset HeartbeatAt, DateTimeOffset? StoppedAt, string? StopReason)
{
    public bool Live => StoppedAt is null;

    /// <summary>Whether the node runs untagged builds itself (false when started with <c>--no-embedded-worker</c>).</summary>
    public bool EmbeddedWorker { get; init; } = true;
}

/// <summary>What one sweep for lost nodes ended: the nodes found without a heartbeat, and the builds errored.</summary>
public sealed record NodeSweep(IReadOnlyList<NodeRecord> Lost, IReadOnlyList<long> ErroredBuilds);

/// <summary>
/// The server nodes sharing a store, so that each knows which others live: a node registers at start, beats while it
/// runs and says when it stops; the builds of a node that stopped beating are ended by whichever node notices first.
/// </summary>
public interface INodeStore
{
    /// <summary>Registers a node as live (again, when the others had taken it for lost).</summary>
    Task RegisterNodeAsync(string id, string name, CancellationToken cancellationToken = default);

    /// <summary>Records whether the node runs builds itself (its embedded worker), for the list of workers.</summary>
    Task SetNodeEmbeddedWorkerAsync(string id, bool embedded, CancellationToken cancellationToken = default);

    /// <summary>Records that the node lives; false when it is not registered as live (the others took it for lost).</summary>
    Task<bool> HeartbeatNodeAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Marks the node stopped (a clean shutdown), with why.</summary>
    Task StopNodeAsync(string id, string reason, CancellationToken cancellationToken = default);

    /// <summary>Every node, live ones first, then the newest stopped ones (at most <paramref name="stoppedLimit"/>).</summary>
    Task<IReadOnlyList<NodeRecord>> ListNodesAsync(int stoppedLimit = 20, CancellationToken cancellationToken = default);

    /// <summary>
    /// Ends the nodes whose last heartbeat is older than <paramref name="timeout"/> (all nodes but
    /// <paramref name="except"/> when the timeout is zero: on SQLite the one server holds the data directory's lock, so
    /// any other is gone), and errors every build left started by a node that is not live, with the reason and an
    /// error event. Several nodes may call it at once: each lost node and each build is ended once.
    /// </summary>
    Task<NodeSweep> EndLostNodesAsync(TimeSpan timeout, string except, CancellationToken cancellationToken = default);
}
