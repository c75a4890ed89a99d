using System.CommandLine;
using System.Text.Json.Nodes;
using Ferry.Cli.Client;

namespace Ferry.Cli.Pipelines;

/// <summary>
/// <c>ferry set-pipeline -p P -c FILE [-v k=v] [-y k=yaml] [-l FILE] [--yes] [--paused]</c>: shows the diff against the
/// current config, asks, then stores a new config version.
/// </summary>
internal static class SetPipelineCommand
{
    public static Command Create()
    {
        var pipeline = new Option<string>("--pipeline", "-p") { Description = "The pipeline to set", Required = true };
        var config = new Option<FileInfo>("--config", "-c") { Description = "The pipeline file", Required = true };
        var vars = new Option<string[]>("--var", "-v") { Description = "A string var: name=value (repeatable)" };
        var yamlVars = new Option<string[]>("--yaml-var", "-y") { Description = "A var whose value is YAML: name=value (repeatable)" };
        var varFiles = new Option<FileInfo[]>("--load-vars-from", "-l") { Description = "A YAML file of vars (repeatable)" };
        var secretVars = new Option<string[]>("--secret-var", "-s") { Description = "A string var whose value is a secret: redacted from build logs, never shown (repeatable)" };
        var yes = new Option<bool>("--yes", "-n") { Description = "Apply without asking" };
        var paused = new Option<bool>("--paused") { Description = "A new pipeline starts paused (an existing one keeps its state)" };
        var team = new Option<string?>("--team", "-t")
        {
            Description = "The team the pipeline belongs to (a new one: default main; an existing one keeps its team unless this moves it, which needs its team's owner role)",
        };
        return ClientVerb.Create("set-pipeline", "Set a pipeline's config from a file: shows the diff and asks first", false, async call =>
        {
            var name = call.Get(pipeline);
            var body = Body(call.Get(config), call.Get(vars) ?? [], call.Get(yamlVars) ?? [], call.Get(varFiles) ?? [], call.Get(paused));
            body["secretVars"] = Pairs(call.Get(secretVars) ?? [], "--secret-var");
            body["team"] = call.Get(team);
            var path = Names.Path("pipelines", name, "config");
            var change = await call.Client.SendAsync(HttpMethod.Post, path + "/diff", body, call.Cancellation);
            await PrintWarningsAsync(change, call.Error);
            if (!change.Flag("changed"))
            {
                await call.Output.WriteLineAsync($"no changes to apply to pipeline '{name}'");
                return ExitCodes.Ok;
            }
            await PrintDiffAsync(change, name, call.Output);
            if (!call.Get(yes) && !await CliInput.ConfirmAsync(call.Output, "apply configuration?"))
            {
                await call.Error.WriteLineAsync("ferry set-pipeline: configuration not applied");
                return ExitCodes.Failed;
            }
            var set = await call.Client.SendAsync(HttpMethod.Put, path, body, call.Cancellation);
            await call.Output.WriteLineAsync($"pipeline '{name}' set to config version {set.Text("newVersion")}");
            if (set.Flag("isNew") && set.Flag("paused"))
            {
                await call.Output.WriteLineAsync($"the pipeline is paused; start it with: ferry unpause-pipeline -p {name}");
            }
            return ExitCodes.Ok;
        }, pipeline, config, vars, yamlVars, varFiles, secretVars, yes, paused, team);
    }

    private static JsonObject Body(FileInfo config, string[] vars, string[] yamlVars, FileInfo[] varFiles, bool paused) => new()
    {
        ["config"] = Read(config, "--config"),
        ["fileName"] = config.Name,
        ["vars"] = Pairs(vars, "--var"),
        ["yamlVars"] = Pairs(yamlVars, "--yaml-var"),
        ["varFiles"] = new JsonArray([.. varFiles.Select(f => new JsonObject { ["name"] = f.Name, ["content"] = Read(f, "--load-vars-from") })]),
        ["paused"] = paused,
    };

    private static string Read(FileInfo file, string option)
    {
        try
        {
            return File.ReadAllText(file.FullName);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"{option} {file.FullName}: {(e is FileNotFoundException or DirectoryNotFoundException ? "no such file" : e.Message)}");
        }
    }

    private static JsonObject Pairs(string[] flags, string option)
    {
        var result = new JsonObject();
        foreach (var flag in flags)
        {
            var equals = flag.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new UsageException($"{option} '{flag}' is not of the form name=value");
            }
            result[flag[..equals]] = flag[(equals + 1)..];
        }
        return result;
    }

    private static async Task PrintWarningsAsync(JsonNode? change, TextWriter error)
    {
        foreach (var warning in (change?["warnings"] as JsonArray ?? []).OfType<JsonNode>())
        {
            var path = warning.Text("path");
            await error.WriteLineAsync($"warning: {warning.Text("location")} {(string.IsNullOrEmpty(path) ? "" : path + ": ")}{warning.Text("message")}");
        }
    }

    private static async Task PrintDiffAsync(JsonNode? change, string name, TextWriter output)
    {
        if (!change.Flag("isNew") && change.Text("currentTeam") is { } from && from != change.Text("team"))
        {
            await output.WriteLineAsync($"pipeline '{name}' moves from team {from} to team {change.Text("team")}");
        }
        if (change.Flag("isNew") && change?["summary"] is JsonObject summary)
        {
            // A new pipeline's diff is its whole file: say what it declares instead.
            await output.WriteLineAsync($"pipeline '{name}' is new (team {change.Text("team")}):");
            foreach (var (key, noun) in new[] { ("resources", "resource"), ("jobs", "job"), ("environments", "environment") })
            {
                var names = (summary[key] as JsonArray ?? []).Select(n => n?.GetValue<string>()).ToList();
                if (names.Count > 0)
                {
                    await output.WriteLineAsync($"  {names.Count} {noun}{(names.Count == 1 ? "" : "s")}: {string.Join(", ", names)}");
                }
            }
            return;
        }
        await output.WriteLineAsync(change.Flag("isNew")
            ? $"pipeline '{name}' is new (team {change.Text("team")}):"
            : $"changes to pipeline '{name}' (config version {change.Text("currentVersion")}):");
        foreach (var line in (change?["diff"] as JsonArray ?? []).OfType<JsonNode>())
        {
            await output.WriteLineAsync(line.GetValue<string>());
        }
    }
}
