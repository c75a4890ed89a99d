using System.CommandLine;
using System.Text.Json.Nodes;
using Ferry.Cli.Client;

namespace Ferry.Cli.Nodes;

/// <summary><c>ferry nodes</c>: the server nodes sharing the store, through the API.</summary>
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
}
