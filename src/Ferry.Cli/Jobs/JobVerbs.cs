using System.CommandLine;
using System.Text.Json.Nodes;
using Ferry.Cli.Builds;
using Ferry.Cli.Client;
using Ferry.Cli.Pipelines;

namespace Ferry.Cli.Jobs;

/// <summary><c>jobs -p P</c> and <c>trigger -j P/J [--watch]</c>.</summary>
internal static class JobVerbs
{
    public static Command List()
    {
        var pipeline = PipelineVerbs.PipelineOption();
        return ClientVerb.Create("jobs", "List a pipeline's jobs with their newest builds", true, async call =>
        {
            var text = await call.Client.SendForTextAsync(HttpMethod.Get, Names.Path("pipelines", call.Get(pipeline), "jobs"), null, call.Cancellation);
            if (call.Json)
            {
                await call.Output.WriteLineAsync(text);
                return ExitCodes.Ok;
            }
            var table = new Table("name", "paused", "status", "build", "next");
            foreach (var job in JsonNode.Parse(text).Items())
            {
                var finished = job["finishedBuild"];
                var next = job["nextBuild"];
                table.Add(job.Text("name"), job.Flag("paused") ? "yes" : "no", finished.Text("status") ?? "n/a",
                    finished is null ? "" : "#" + finished.Text("name"),
                    next is null ? "" : $"#{next.Text("name")} {next.Text("status")}");
            }
            await table.WriteAsync(call.Output, $"pipeline '{call.Get(pipeline)}' has no jobs");
            return ExitCodes.Ok;
        }, pipeline);
    }

    public static Command Trigger()
    {
        var job = JobOption();
        var watch = new Option<bool>("--watch", "-w") { Description = "Stream the build's log and exit with its result" };
        return ClientVerb.Create("trigger", "Start a build of a job now", false, async call =>
        {
            var (p, j) = Names.Split(call.Get(job), "-j", "job");
            var build = await call.Client.SendAsync(HttpMethod.Post, Names.Path("pipelines", p, "jobs", j) + "/builds", null, call.Cancellation);
            var id = long.Parse(build.Text("id")!, System.Globalization.CultureInfo.InvariantCulture);
            await call.Output.WriteLineAsync($"started {p}/{j} #{build.Text("name")} (build {id})");
            return call.Get(watch) ? await BuildWatcher.WatchAsync(call.Client, id, call.Output, call.Error, call.Cancellation) : ExitCodes.Ok;
        }, job, watch);
    }

    internal static Option<string> JobOption(bool required = true) =>
        new("--job", "-j") { Description = "The job, as PIPELINE/JOB", Required = required };
}
