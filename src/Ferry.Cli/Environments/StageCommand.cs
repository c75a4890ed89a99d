using System.CommandLine;
using System.Text.Json.Nodes;
using Ferry.Cli.Client;
using Ferry.Cli.Pipelines;

namespace Ferry.Cli.Environments;

/// <summary>
/// <c>ferry stages list|add|move|remove -p P</c>: a pipeline's environments as a chain of stages, edited without
/// writing YAML. Each edit shows the config diff the server computed (a dry run) and asks, as set-pipeline does, then
/// stores it as a new config version. The instance's URL is <c>--instance</c>: <c>--url</c> names the Ferry server,
/// as for every other verb.
/// </summary>
internal static class StageCommand
{
    public static Command Create() => new("stages", "A pipeline's stages (instance-bound environments): ferry stages list | add | move | remove")
    {
        List(), Add(), Move(), Remove(),
    };

    private static Command List()
    {
        var pipeline = PipelineVerbs.PipelineOption();
        return ClientVerb.Create("list", "List a pipeline's stages in order: what each comes from, its instance, its policy", true, async call =>
        {
            var p = call.Get(pipeline);
            var text = await call.Client.SendForTextAsync(HttpMethod.Get, Names.Path("pipelines", p, "stages"), null, call.Cancellation);
            if (call.Json)
            {
                await call.Output.WriteLineAsync(text);
                return ExitCodes.Ok;
            }
            await WriteStagesAsync(JsonNode.Parse(text), call.Output, $"pipeline '{p}' has no stages; add one with: ferry stages add -p {p} NAME --instance URL");
            return ExitCodes.Ok;
        }, pipeline);
    }

    private static Command Add()
    {
        var pipeline = PipelineVerbs.PipelineOption();
        var name = new Argument<string>("NAME") { Description = "The new stage (lower-case letters, digits and '-')" };
        var instance = new Option<string>("--instance", "-i")
        {
            Description = "The running Node-RED instance's URL (its Admin API; asked before anything is written)",
            Required = true,
        };
        var (after, before) = Position("Goes right after this stage (what came from it comes from the new one); default: at the end");
        var tokenVar = new Option<string?>("--token-var")
        {
            Description = "The var the instance's token is written as (token: ((NAME)) in the YAML); default NAME-token with --token-stdin",
        };
        var tokenStdin = new Option<bool>("--token-stdin")
        {
            Description = "Read the instance's bearer token (first line of standard input, or typed unseen): kept as a secret var of the pipeline, never in the YAML",
        };
        var username = new Option<string?>("--username") { Description = "The instance's adminAuth user Ferry logs in as (instead of a token)" };
        var passwordVar = new Option<string?>("--password-var") { Description = "The var its password is written as (password: ((NAME))); default NAME-password" };
        var passwordStdin = new Option<bool>("--password-stdin")
        {
            Description = "Read its password (first line of standard input, or typed unseen): kept as a secret var of the pipeline, never in the YAML",
        };
        var envKeys = new Option<string?>("--env-keys") { Description = "keys-only (default), merge or none" };
        var promote = new Option<string?>("--promote") { Description = "auto (default) or manual" };
        var yes = YesOption();
        return ClientVerb.Create("add", "Add a stage bound to a running Node-RED instance, at the end or after/before a stage", false, async call =>
        {
            var p = call.Get(pipeline);
            var body = new JsonObject
            {
                ["name"] = call.Get(name),
                ["url"] = call.Get(instance),
                ["after"] = call.Get(after),
                ["before"] = call.Get(before),
                ["tokenVar"] = call.Get(tokenVar),
                ["envKeys"] = call.Get(envKeys),
                ["promote"] = call.Get(promote),
                ["username"] = call.Get(username),
                ["passwordVar"] = call.Get(passwordVar),
            };
            if (call.Get(passwordStdin))
            {
                body["password"] = await CliInput.ReadSecretAsync(call.Error, "password: ") is { Length: > 0 } password
                    ? password
                    : throw new UsageException("--password-stdin: no password was read from standard input");
            }
            if (call.Get(tokenStdin))
            {
                body["token"] = await CliInput.ReadSecretAsync(call.Error, "instance token: ") is { Length: > 0 } token
                    ? token
                    : throw new UsageException("--token-stdin: no token was read from standard input");
            }
            return await EditAsync(call, p, HttpMethod.Post, Names.Path("pipelines", p, "stages"), body, call.Get(yes));
        }, pipeline, name, instance, after, before, tokenVar, tokenStdin, username, passwordVar, passwordStdin, envKeys, promote, yes);
    }

    private static Command Move()
    {
        var pipeline = PipelineVerbs.PipelineOption();
        var name = new Argument<string>("NAME") { Description = "The stage to move" };
        var (after, before) = Position("Goes right after this stage");
        var yes = YesOption();
        return ClientVerb.Create("move", "Move a stage right after or before another; the from: links are rewritten", false, async call =>
        {
            var p = call.Get(pipeline);
            if (call.Get(after) is null && call.Get(before) is null)
            {
                throw new UsageException("say where: --after STAGE or --before STAGE");
            }
            var body = new JsonObject { ["after"] = call.Get(after), ["before"] = call.Get(before) };
            return await EditAsync(call, p, HttpMethod.Put, Names.Path("pipelines", p, "stages", call.Get(name)) + "/position", body, call.Get(yes));
        }, pipeline, name, after, before, yes);
    }

    private static Command Remove()
    {
        var pipeline = PipelineVerbs.PipelineOption();
        var name = new Argument<string>("NAME") { Description = "The stage to remove" };
        var yes = YesOption();
        return ClientVerb.Create("remove", "Remove a stage: what came from it then comes from what it came from (the source stage only when it is the last)", false,
            async call =>
            {
                var p = call.Get(pipeline);
                return await EditAsync(call, p, HttpMethod.Delete, Names.Path("pipelines", p, "stages", call.Get(name)), null, call.Get(yes));
            }, pipeline, name, yes);
    }

    /// <summary>The dry run's diff first, then (asked, or <c>--yes</c>) the edit itself.</summary>
    private static async Task<int> EditAsync(ClientCall call, string pipeline, HttpMethod method, string path, JsonObject? body, bool yes)
    {
        var preview = await call.Client.SendAsync(method, path + "?dryRun=true", body?.DeepClone(), call.Cancellation);
        foreach (var warning in preview?["warnings"].Items() ?? [])
        {
            await call.Error.WriteLineAsync($"warning: {warning.Text("location")} {warning.Text("path")}: {warning.Text("message")}");
        }
        if (!preview.Flag("changed"))
        {
            await call.Output.WriteLineAsync($"{preview.Text("summary")}; pipeline '{pipeline}' stays at config version {preview.Text("previousVersion")}");
            return ExitCodes.Ok;
        }
        await call.Output.WriteLineAsync($"{preview.Text("summary")}: changes to pipeline '{pipeline}' (config version {preview.Text("previousVersion")}):");
        foreach (var line in preview?["diff"].Items() ?? [])
        {
            await call.Output.WriteLineAsync(line.GetValue<string>());
        }
        if (!yes && !await CliInput.ConfirmAsync(call.Output, "apply configuration?"))
        {
            await call.Error.WriteLineAsync("ferry stages: configuration not applied");
            return ExitCodes.Failed;
        }
        var change = await call.Client.SendAsync(method, path, body, call.Cancellation);
        await call.Output.WriteLineAsync($"pipeline '{pipeline}' set to config version {change.Text("newVersion")}: {change.Text("summary")}");
        await WriteStagesAsync(change?["stages"], call.Output, $"pipeline '{pipeline}' has no stages now");
        return ExitCodes.Ok;
    }

    private static async Task WriteStagesAsync(JsonNode? stages, TextWriter output, string empty)
    {
        var table = new Table("stage", "from", "instance", "env keys", "promote");
        foreach (var stage in stages.Items())
        {
            // The source stage's releases come from its instance's snapshots, or from jobs it names.
            var from = string.Join(", ", stage["from"].Items().Select(f => f.GetValue<string>()));
            from = !stage.Flag("source") ? from : from.Length == 0 ? "(source)" : from + " (source)";
            table.Add(stage.Text("name"), from, stage.Text("url") ?? "-", stage.Text("envKeys"), stage.Text("promote"));
        }
        await table.WriteAsync(output, empty);
    }

    private static (Option<string?> After, Option<string?> Before) Position(string afterDescription) =>
        (new Option<string?>("--after") { Description = afterDescription },
         new Option<string?>("--before") { Description = "Goes right before this stage (which then comes from it)" });

    private static Option<bool> YesOption() => new("--yes", "-n") { Description = "Apply without asking" };
}
