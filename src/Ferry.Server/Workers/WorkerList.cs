using Ferry.Server.Api;
using Ferry.Server.Hosting;
using Ferry.Storage;
using Ferry.Storage.Workers;

namespace Ferry.Server.Workers;

/// <summary>
/// The workers and the server nodes as users see them, built in one place so that the API (<c>GET /api/v1/workers</c>,
/// <c>GET /api/v1/nodes</c>), the CLI through it, and the web UI's workers page show the same lists.
/// </summary>
internal sealed class WorkerList(IStore store, ServerNode self)
{
    /// <summary>Each live server node's embedded worker (untagged), then the remote workers by name, lost ones too.</summary>
    public async Task<IReadOnlyList<WorkerModel>> WorkersAsync(CancellationToken ct)
    {
        var nodes = await store.ListNodesAsync(0, ct);
        var running = (await store.ListStartedBuildsAsync(ct)).Where(b => b.Worker is null).ToLookup(b => b.ClaimedBy, b => b.Id);
        var embedded = nodes.Where(n => n.Live && n.EmbeddedWorker).Select(n => new WorkerModel(
            $"{n.Name} (embedded)", "embedded", [], null, null, "running", null, n.StartedAt.UtcDateTime, n.HeartbeatAt.UtcDateTime, n.Id, [.. running[n.Id]]));
        var remote = (await store.ListWorkersAsync(ct)).Select(WorkerModel.From);
        return [.. embedded, .. remote];
    }

    /// <summary>The live nodes first, then the 20 stopped most recently, with why they stopped.</summary>
    public async Task<IReadOnlyList<NodeModel>> NodesAsync(CancellationToken ct) =>
        [.. (await store.ListNodesAsync(cancellationToken: ct)).Select(n => new NodeModel(
            n.Id, n.Name, n.Live, n.Id == self.Id, n.StartedAt.UtcDateTime, n.HeartbeatAt.UtcDateTime, n.StoppedAt?.UtcDateTime, n.StopReason, n.EmbeddedWorker))];
}

/// <summary>A worker as users see it: an embedded one (a server node's) or a remote one.</summary>
/// <param name="Kind"><c>embedded</c> (a server node's) or <c>remote</c> (<c>ferry worker</c>).</param>
/// <param name="State"><c>running</c>, or <c>lost</c> for a remote worker whose heartbeat stopped.</param>
/// <param name="Node">The server node of an embedded worker.</param>
/// <param name="Running">The builds it runs now.</param>
public sealed record WorkerModel(
    string Name, string Kind, IReadOnlyList<string> Tags, string? Runtime, int? Capacity, string State, string? Version,
    DateTime RegisteredAt, DateTime HeartbeatAt, string? Node, IReadOnlyList<long> Running)
{
    internal static WorkerModel From(WorkerRecord w) => new(
        w.Name, "remote", w.Tags, w.Runtime, w.Capacity, w.State == WorkerState.Lost ? "lost" : "running", w.Version,
        w.RegisteredAt.UtcDateTime, w.HeartbeatAt.UtcDateTime, null, w.Running);
}
