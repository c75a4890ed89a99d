using System.CommandLine;
using Ferry.Cli.Client;

namespace Ferry.Cli.Pipelines;

/// <summary><c>pipelines</c>, <c>get-pipeline</c>, <c>pause-pipeline</c>, <c>unpause-pipeline</c>, <c>destroy-pipeline</c>.</summary>
internal static class PipelineVerbs
{
    public static Command List() => ClientVerb.Create("pipelines", "List the pipelines", true, async call =>
    {
        var text = await call.Client.SendForTextAsync(HttpMethod.Get, "api/v1/pipelines", null, call.Cancellation);
        if (call.Json)
        {
            await call.Output.WriteLineAsync(text);
            return ExitCodes.Ok;
        }
        var table = new Table("name", "team", "paused", "config", "updated");
        foreach (var p in System.Text.Json.Nodes.JsonNode.Parse(text).Items())
        {
            table.Add(p.Text("name"), p.Text("team"), p.Flag("paused") ? "yes" : "no", p.Text("configVersion"), p.Time("updatedAt"));
        }
        await table.WriteAsync(call.Output, "no pipelines; set one with: ferry set-pipeline -p NAME -c pipeline.yml");
        return ExitCodes.Ok;
    });

    public static Command Get()
    {
        var pipeline = PipelineOption();
        return ClientVerb.Create("get-pipeline", "Print a pipeline's current config (YAML as set; with --json, var names but never their values)", true, async call =>
        {
            var text = await call.Client.SendForTextAsync(HttpMethod.Get, Names.Path("pipelines", call.Get(pipeline)), null, call.Cancellation);
            if (call.Json)
            {
                await call.Output.WriteLineAsync(text);
                return ExitCodes.Ok;
            }
            var config = System.Text.Json.Nodes.JsonNode.Parse(text).Text("config") ?? "";
            await call.Output.WriteAsync(config.EndsWith('\n') ? config : config + "\n");
            return ExitCodes.Ok;
        }, pipeline);
    }

    public static Command Pause() => Toggle("pause-pipeline", "Pause a pipeline: nothing is checked or scheduled", "pause", "paused");

    public static Command Unpause() => Toggle("unpause-pipeline", "Unpause a pipeline", "unpause", "unpaused");

    private static Command Toggle(string name, string description, string action, string done)
    {
        var pipeline = PipelineOption();
        return ClientVerb.Create(name, description, false, async call =>
        {
            await call.Client.SendAsync(HttpMethod.Put, Names.Path("pipelines", call.Get(pipeline)) + "/" + action, null, call.Cancellation);
            await call.Output.WriteLineAsync($"{done} pipeline '{call.Get(pipeline)}'");
            return ExitCodes.Ok;
        }, pipeline);
    }

    public static Command Destroy()
    {
        var pipeline = PipelineOption();
        var yes = new Option<bool>("--yes", "-n") { Description = "Destroy without asking" };
        return ClientVerb.Create("destroy-pipeline", "Destroy a pipeline with all its config versions, versions, builds and logs", false, async call =>
        {
            var name = call.Get(pipeline);
            // Ask only about a pipeline that exists: a typo gets its 404 before any question.
            await call.Client.GetAsync(Names.Path("pipelines", name), call.Cancellation);
            if (!call.Get(yes) && !await CliInput.ConfirmAsync(call.Output, $"destroy pipeline '{name}' with all its builds and versions?"))
            {
                await call.Error.WriteLineAsync("ferry destroy-pipeline: pipeline not destroyed");
                return ExitCodes.Failed;
            }
            await call.Client.SendAsync(HttpMethod.Delete, Names.Path("pipelines", name), null, call.Cancellation);
            await call.Output.WriteLineAsync($"destroyed pipeline '{name}'");
            return ExitCodes.Ok;
        }, pipeline, yes);
    }

    internal static Option<string> PipelineOption() => new("--pipeline", "-p") { Description = "The pipeline", Required = true };
}
