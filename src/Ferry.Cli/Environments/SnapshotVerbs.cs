using System.CommandLine;
using System.Text.Json.Nodes;
using Ferry.Cli.Client;
using Ferry.Cli.Pipelines;

namespace Ferry.Cli.Environments;

/// <summary><c>snapshots -p P -e E</c>, <c>snapshots diff -p P -e E A [B]</c>, <c>snapshots take -p P -e E</c>.</summary>
internal static class SnapshotVerbs
{
    public static Command List()
    {
        var pipeline = PipelineVerbs.PipelineOption();
        var environment = EnvironmentOptions.Environment();
        var command = ClientVerb.Create("snapshots", "List an environment's instance snapshots, newest first, with who or what made them", true, async call =>
        {
            var (p, e) = (call.Get(pipeline), call.Get(environment));
            var text = await call.Client.SendForTextAsync(HttpMethod.Get, EnvironmentOptions.EnvironmentPath(p, e, "snapshots"), null, call.Cancellation);
            if (call.Json)
            {
                await call.Output.WriteLineAsync(text);
                return ExitCodes.Ok;
            }
            var table = new Table("at", "snapshot", "kind", "release", "nodes", "rev", "by");
            foreach (var s in JsonNode.Parse(text).Items())
            {
                table.Add(s.Time("at"), s.Text("snapshot")?[..12], s.Text("kind") + (s.Flag("forced") ? " (forced)" : ""), s.Text("release") ?? "",
                    s.Text("nodes") ?? "", s.Text("rev") ?? "", s.Text("by"));
            }
            await table.WriteAsync(call.Output, $"{p}/{e} has no snapshots yet");
            return ExitCodes.Ok;
        }, pipeline, environment);
        command.Subcommands.Add(Diff());
        command.Subcommands.Add(Take());
        return command;
    }

    private static Command Diff()
    {
        var pipeline = PipelineVerbs.PipelineOption();
        var environment = EnvironmentOptions.Environment();
        var from = new Argument<string>("from") { Description = "The snapshot to diff from: its hash or first digits (ferry snapshots), or live" };
        var to = new Argument<string?>("to") { Description = "The snapshot to diff to (default: live, what the instance runs now)", Arity = ArgumentArity.ZeroOrOne };
        return ClientVerb.Create("diff", "What changed from one snapshot to another, by tab and node", true, async call =>
        {
            var (p, e) = (call.Get(pipeline), call.Get(environment));
            var path = EnvironmentOptions.EnvironmentPath(p, e, $"snapshots/diff?from={FerryClient.Escape(call.Get(from))}&to={FerryClient.Escape(call.Get(to) ?? "live")}");
            var text = await call.Client.SendForTextAsync(HttpMethod.Get, path, null, call.Cancellation);
            if (call.Json)
            {
                await call.Output.WriteLineAsync(text);
                return ExitCodes.Ok;
            }
            var diff = JsonNode.Parse(text);
            await call.Output.WriteLineAsync($"{p}/{e}: {diff.Text("from")?[..12]} -> {diff.Text("to")?[..12]}: {diff.Text("summary")}");
            await DriftText.WriteDiffAsync(call.Output, diff?["diff"]);
            return ExitCodes.Ok;
        }, pipeline, environment, from, to);
    }

    private static Command Take()
    {
        var pipeline = PipelineVerbs.PipelineOption();
        var environment = EnvironmentOptions.Environment();
        return ClientVerb.Create("take", "Take a snapshot of the environment's instance now (for the source instance: check its resource)", false, async call =>
        {
            var (p, e) = (call.Get(pipeline), call.Get(environment));
            var taken = await call.Client.SendAsync(HttpMethod.Post, EnvironmentOptions.EnvironmentPath(p, e, "snapshots"), new JsonObject(), call.Cancellation);
            await call.Output.WriteLineAsync($"{p}/{e}: snapshot {taken.Text("snapshot")?[..12]} ({taken.Text("nodes")} nodes, rev {taken.Text("rev")}) taken by {taken.Text("by")}");
            return ExitCodes.Ok;
        }, pipeline, environment);
    }
}
