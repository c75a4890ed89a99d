using System.CommandLine;
using System.Text.Json.Nodes;
using Ferry.Cli.Client;
using Ferry.Cli.Jobs;

namespace Ferry.Cli.Explain;

/// <summary><c>explain -j P/J</c>: why a job runs or waits, input by input.</summary>
internal static class ExplainCommand
{
    public static Command Create()
    {
        var job = JobVerbs.JobOption();
        return ClientVerb.Create("explain", "Say which version each input of a job would get now, or which passed job blocks it and why", true, async call =>
        {
            var (p, j) = Names.Split(call.Get(job), "-j", "job");
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
            return ExitCodes.Ok;
        }, job);
    }
}
