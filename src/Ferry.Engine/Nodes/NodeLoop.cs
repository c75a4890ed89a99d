using Ferry.Engine.Loops;
using Ferry.Storage;
using Microsoft.Extensions.Logging;

namespace Ferry.Engine.Nodes;

/// <param name="NodeId">This node's id in the store (what its builds are claimed by).</param>
/// <param name="NodeName">This node's name, for the log.</param>
public sealed record NodeLoopOptions(string NodeId, string NodeName)
{
    /// <summary>A node whose heartbeat is older than this is taken for lost: its builds error.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(20);

    /// <summary>How often a node beats, and looks for lost ones: with the timeout, a lost node's builds end within 25 s.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan Timeout { get; init; } = DefaultTimeout;

    /// <summary>A remote worker whose heartbeat is older than this is lost: its builds error (<c>--worker-timeout</c>).</summary>
    public TimeSpan WorkerTimeout { get; init; } = DefaultWorkerTimeout;

    public static readonly TimeSpan DefaultWorkerTimeout = TimeSpan.FromSeconds(30);
}

/// <summary>
/// The node loop: this server's heartbeat in the store, and the sweep that ends the nodes whose heartbeat stopped
/// (their builds become errored, naming the node; the promoter then ends their promotions). Every node runs it; the
/// store ends each lost node and build once however many nodes sweep at once. On a clean stop the node says so, and
/// the next sweep ends whatever it left started. It sweeps remote workers the same way: a worker silent for longer than
/// <see cref="NodeLoopOptions.WorkerTimeout"/> is lost and its builds error, naming the worker.
/// </summary>
public sealed class NodeLoop(IStore store, LoopWaker waker, NodeLoopOptions options, ILogger<NodeLoop> logger) : IBackgroundLoop, IAsyncDisposable
{
    public string Name => LoopNames.Nodes;

    public TimeSpan Interval => options.Interval;

    public async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        if (!await store.HeartbeatNodeAsync(options.NodeId, cancellationToken))
        {
            // A pause longer than the timeout (or a lost connection): the others ended this node's builds already.
            logger.LogWarning("node {Node}: the other nodes had taken this node for lost (no heartbeat for {Timeout} s); it registers again",
                options.NodeId, options.Timeout.TotalSeconds);
            await store.RegisterNodeAsync(options.NodeId, options.NodeName, cancellationToken);
        }
        var sweep = await store.EndLostNodesAsync(options.Timeout, options.NodeId, cancellationToken);
        foreach (var node in sweep.Lost)
            logger.LogWarning("server node {Name} ({Id}) stopped answering (last heartbeat {At:u}); its builds are ended", node.Name, node.Id, node.HeartbeatAt);
        var workers = await store.EndLostWorkersAsync(options.WorkerTimeout, cancellationToken);
        foreach (var worker in workers.Lost)
            logger.LogWarning("worker {Name} stopped heartbeating (last heartbeat {At:u}); its builds are ended", worker.Name, worker.HeartbeatAt);
        if (sweep.ErroredBuilds.Count + workers.ErroredBuilds.Count > 0)
        {
            logger.LogWarning("errored {Count} build(s) left running by nodes or workers that are gone: {Builds}",
                sweep.ErroredBuilds.Count + workers.ErroredBuilds.Count, string.Join(", ", sweep.ErroredBuilds.Concat(workers.ErroredBuilds)));
            waker.Wake(LoopNames.Promoter);
            waker.Wake(LoopNames.Scheduler);
        }
    }

    /// <summary>A clean stop: the other nodes need not wait for the timeout to know.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await store.StopNodeAsync(options.NodeId, "the server stopped");
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            logger.LogWarning("node {Node}: could not record its stop: {Message}", options.NodeId, e.Message);
        }
    }
}
