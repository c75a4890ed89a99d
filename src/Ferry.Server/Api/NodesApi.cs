using Ferry.Server.Hosting;
using Ferry.Storage;

namespace Ferry.Server.Api;

/// <summary>The server nodes sharing this store: live ones with their last heartbeat, then those stopped most recently.</summary>
internal static class NodesApi
{
    public static void Map(RouteGroupBuilder api) =>
        api.MapGet("/nodes", async (IStore store, ServerNode self, CancellationToken cancellationToken) =>
                (await store.ListNodesAsync(cancellationToken: cancellationToken)).Select(n => new NodeModel(
                    n.Id, n.Name, n.Live, n.Id == self.Id, n.StartedAt.UtcDateTime, n.HeartbeatAt.UtcDateTime, n.StoppedAt?.UtcDateTime, n.StopReason)).ToList())
            .WithTags("Info").WithName("ListNodes")
            .WithSummary("The server nodes on this store: live ones first (with their last heartbeat), then the 20 stopped most recently, with why.");
}

/// <param name="Self">Whether this is the node that answered.</param>
/// <param name="StopReason">Why it stopped: "the server stopped" (a clean stop) or "its heartbeat stopped" (the others took it for lost).</param>
public sealed record NodeModel(string Id, string Name, bool Live, bool Self, DateTime StartedAt, DateTime HeartbeatAt, DateTime? StoppedAt, string? StopReason);
