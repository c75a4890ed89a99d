using Ferry.Server.Workers;

namespace Ferry.Server.Api;

/// <summary>The server nodes sharing this store: live ones with their last heartbeat, then those stopped most recently.</summary>
internal static class NodesApi
{
    public static void Map(RouteGroupBuilder api) =>
        api.MapGet("/nodes", (WorkerList list, CancellationToken cancellationToken) => list.NodesAsync(cancellationToken))
            .WithTags("Info").WithName("ListNodes")
            .WithSummary("The server nodes on this store: live ones first (with their last heartbeat), then the 20 stopped most recently, with why.");
}

/// <param name="Self">Whether this is the node that answered.</param>
/// <param name="StopReason">Why it stopped: "the server stopped" (a clean stop) or "its heartbeat stopped" (the others took it for lost).</param>
/// <param name="EmbeddedWorker">Whether the node runs builds itself (false with <c>--no-embedded-worker</c> or <c>--build-capacity 0</c>).</param>
public sealed record NodeModel(string Id, string Name, bool Live, bool Self, DateTime StartedAt, DateTime HeartbeatAt, DateTime? StoppedAt, string? StopReason,
    bool EmbeddedWorker);
