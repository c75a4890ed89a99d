using System.CommandLine;
using System.Text.Json.Nodes;
using Ferry.Cli.Client;

namespace Ferry.Cli.Nodes;

/// <summary><c>ferry nodes</c> and <c>ferry workers</c>: the server nodes sharing the store and the workers that run builds, through the API.</summary>
internal static class NodeVerbs
{
    public static Command List() => ClientVerb.Create("nodes", "List the server nodes on this store: live ones with their last heartbeat, then the latest stopped", true, async call =>
    {
        var text = await call.Client.SendForTextAsync(HttpMethod.Get, "api/v1/nodes", null, call.Cancellation);
        if (call.Json)
        {
            await call.Output.WriteLineAsync(text);
            return ExitCodes.Ok;
        }
        var table = new Table("id", "name", "state", "started", "heartbeat", "stopped");
        foreach (var node in JsonNode.Parse(text).Items())
        {
            var state = node.Flag("live") ? (node.Flag("self") ? "live (this one)" : "live") : $"stopped: {node.Text("stopReason")}";
            table.Add(node.Text("id"), node.Text("name"), state, node.Time("startedAt"), node.Time("heartbeatAt"), node.Time("stoppedAt"));
        }
        await table.WriteAsync(call.Output, "no nodes");
        return ExitCodes.Ok;
    });

    public static Command Workers() => ClientVerb.Create("workers", "List the workers: each server's embedded worker and the remote ones (ferry worker), with tags, state and last heartbeat", true, async call =>
    {
        var text = await call.Client.SendForTextAsync(HttpMethod.Get, "api/v1/workers", null, call.Cancellation);
        if (call.Json)
        {
            await call.Output.WriteLineAsync(text);
            return ExitCodes.Ok;
        }
        var table = new Table("name", "kind", "state", "tags", "runtime", "capacity", "builds", "heartbeat");
        foreach (var worker in JsonNode.Parse(text).Items())
        {
            var tags = (worker["tags"] as JsonArray ?? []).Select(t => t?.GetValue<string>()).ToList();
            var running = (worker["running"] as JsonArray ?? []).Select(b => b?.ToJsonString()).ToList();
            table.Add(worker.Text("name"), worker.Text("kind"), worker.Text("state"), tags.Count == 0 ? "(none)" : string.Join(",", tags),
                worker.Text("runtime") ?? "", worker.Text("capacity") ?? "", running.Count == 0 ? "" : string.Join(",", running), worker.Time("heartbeatAt"));
        }
        await table.WriteAsync(call.Output, "no workers");
        return ExitCodes.Ok;
    });
}
