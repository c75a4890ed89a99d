using System.CommandLine;
using System.Text.Json.Nodes;
using Ferry.Cli.Client;
using Ferry.Cli.Jobs;

namespace Ferry.Cli.Explain;

/// <summary><c>explain -j P/J</c>: why a job runs or waits, input by input; <c>explain -p P -e E</c>: why an environment has not the newest release.</summary>
internal static class ExplainCommand
{
    public static Command Create()
    {
        var job = JobVerbs.JobOption(required: false);
        var pipeline = new Option<string?>("--pipeline", "-p") { Description = "With -e: the environment's pipeline" };
        var environment = Environments.EnvironmentOptions.Environment(required: false);
        return ClientVerb.Create("explain",
            "Say which version each input of a job would get now, or which passed job blocks it and why (-j P/J); or why an environment has not received the newest release (-p P -e E)",
            true, async call =>
        {
            var jobText = call.Parse.GetValue(job);
            var (envPipeline, envName) = (call.Parse.GetValue(pipeline), call.Parse.GetValue(environment));
            var environmentForm = envPipeline is not null && envName is not null;
            var anyEnvironmentOption = envPipeline is not null || envName is not null;
            if (jobText is null ? !environmentForm : anyEnvironmentOption)
            {
                throw new UsageException("give either -j PIPELINE/JOB, or -p PIPELINE -e ENVIRONMENT");
            }
            if (jobText is null)
            {
                return await ExplainEnvironmentAsync(call, envPipeline!, envName!);
            }
            var (p, j) = Names.Split(jobText, "-j", "job");
            var text = await call.Client.SendForTextAsync(HttpMethod.Get, Names.Path("pipelines", p, "jobs", j) + "/explain", null, call.Cancellation);
            if (call.Json)
            {
                await call.Output.WriteLineAsync(text);
                return ExitCodes.Ok;
            }
            var explanation = JsonNode.Parse(text)!;
            await call.Output.WriteLineAsync($"{p}/{j}: {explanation.Text("verdict")}");
            foreach (var input in explanation["inputs"]!.AsArray())
            {
                var passed = input!["passed"]!.AsArray().Select(x => (string?)x).ToList();
                var constraint = passed.Count == 0 ? "" : $" passed [{string.Join(", ", passed)}]";
                var head = $"  {input.Text("name")} ({input.Text("resource")}, {input.Text("mode")}{(input.Flag("trigger") ? ", trigger" : "")}{constraint})";
                if (input["version"] is JsonObject version)
                {
                    var fields = string.Join(",", version.Select(f => $"{f.Key}:{f.Value}"));
                    var fresh = input["newForJob"]?.GetValue<bool>() == true ? "new for this job" : "already built by this job";
                    await call.Output.WriteLineAsync($"{head}: {fields} ({fresh})");
                    continue;
                }
                await call.Output.WriteLineAsync($"{head}: BLOCKED: {input.Text("error")}");
                foreach (var blocker in input["blockers"]!.AsArray())
                {
                    var by = blocker.Text("job") is { } name ? $"by job '{name}': " : "";
                    await call.Output.WriteLineAsync($"      {by}{blocker.Text("reason")}");
                }
            }
            foreach (var pending in explanation["pending"] as JsonArray ?? [])
                await call.Output.WriteLineAsync($"  {(string?)pending}");
            return ExitCodes.Ok;
        }, job, pipeline, environment);
    }

    private static async Task<int> ExplainEnvironmentAsync(ClientCall call, string pipeline, string environment)
    {
        var text = await call.Client.SendForTextAsync(HttpMethod.Get, Environments.EnvironmentOptions.EnvironmentPath(pipeline, environment, "explain"), null,
            call.Cancellation);
        if (call.Json)
        {
            await call.Output.WriteLineAsync(text);
            return ExitCodes.Ok;
        }
        var explanation = JsonNode.Parse(text);
        var candidate = explanation.Text("candidate");
        var verdict = explanation.Flag("wouldPromote") ? $"promotes {candidate} now" : candidate is null ? "nothing to promote now" : $"{candidate} waits";
        await call.Output.WriteLineAsync($"{pipeline}/{environment}: {verdict}");
        await call.Output.WriteLineAsync($"  newest release: {explanation.Text("newestRelease") ?? "none yet"}");
        await call.Output.WriteLineAsync($"  why: {explanation.Text("why")}");
        return ExitCodes.Ok;
    }
}
