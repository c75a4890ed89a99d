using Ferry.Server.Hosting;

namespace Ferry.Server.Api;

/// <summary>What server this is: version, store, node, since when, and how many passes each of its loops finished.</summary>
internal static class InfoApi
{
    public static void Map(RouteGroupBuilder api) =>
        api.MapGet("/info", (ServerNode node, StartupReport report, LoopPasses passes) => new ServerInfo(
                typeof(InfoApi).Assembly.GetName().Version?.ToString(3) ?? "0.0.0",
                report.Dialect.ToString().ToLowerInvariant(), node.Name, node.Id, node.StartedAt.UtcDateTime,
                [.. passes.All.Select(p => new LoopInfo(p.Name, p.Passes, p.LastEndedAt.UtcDateTime))]))
            .WithTags("Info").WithName("GetInfo").AllowAnonymous()
            .WithSummary("Version, store, node, start time and the loops' passes; the one endpoint (besides resource webhooks) that needs no sign-in.");
}

/// <param name="NodeId">This start of the node: its name and a random suffix (what its builds are claimed by).</param>
/// <param name="Loops">This node's background loops that have finished a pass (none when it runs no loops).</param>
public sealed record ServerInfo(string Version, string Store, string Node, string NodeId, DateTime StartedAt, IReadOnlyList<LoopInfo> Loops);

/// <param name="Passes">Passes the loop finished on this node since it started; a pass that failed does not count.</param>
public sealed record LoopInfo(string Name, long Passes, DateTime LastPassEndedAt);
