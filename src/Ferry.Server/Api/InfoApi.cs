using Ferry.Server.Hosting;

namespace Ferry.Server.Api;

/// <summary>What server this is: version, store, node, since when.</summary>
internal static class InfoApi
{
    public static void Map(RouteGroupBuilder api) =>
        api.MapGet("/info", (ServerNode node, StartupReport report) => new ServerInfo(
                typeof(InfoApi).Assembly.GetName().Version?.ToString(3) ?? "0.0.0",
                report.Dialect.ToString().ToLowerInvariant(), node.Name, node.StartedAt.UtcDateTime))
            .WithTags("Info").WithName("GetInfo").AllowAnonymous()
            .WithSummary("Version, store, node and start time; the one endpoint (besides resource webhooks) that needs no sign-in.");
}

public sealed record ServerInfo(string Version, string Store, string Node, DateTime StartedAt);
