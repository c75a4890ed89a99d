using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Ferry.Cli.Client;
using Ferry.Cli.Jobs;

namespace Ferry.Cli.Builds;

/// <summary><c>builds [-j P/J] [-p P] [--count N]</c>, <c>watch -b ID | -j P/J</c>, <c>abort -b ID</c>.</summary>
internal static class BuildVerbs
{
    public static Command List()
    {
        var job = JobOption(false);
        var pipeline = new Option<string?>("--pipeline", "-p") { Description = "Only this pipeline's builds" };
        var count = new Option<int>("--count", "-c") { Description = "How many builds (newest first)", DefaultValueFactory = _ => 50 };
        return ClientVerb.Create("builds", "List builds, newest first", true, async call =>
        {
            var n = call.Get(count);
            if (n is < 1 or > 500)
            {
                throw new UsageException($"--count must be between 1 and 500, not {n}");
            }
            var query = $"api/v1/builds?limit={n}";
            if (call.Parse.GetValue(job) is { } jobText)
            {
                var (p, j) = Names.Split(jobText, "-j", "job");
                query += $"&pipeline={FerryClient.Escape(p)}&job={FerryClient.Escape(j)}";
            }
            else if (call.Parse.GetValue(pipeline) is { } p)
            {
                query += $"&pipeline={FerryClient.Escape(p)}";
            }
            var text = await call.Client.SendForTextAsync(HttpMethod.Get, query, null, call.Cancellation);
            if (call.Json)
            {
                await call.Output.WriteLineAsync(text);
                return ExitCodes.Ok;
            }
            var table = new Table("id", "pipeline/job", "build", "status", "start", "end", "duration");
            foreach (var b in JsonNode.Parse(text).Items())
            {
                // A promotion's or teardown's build has no job: its name says what it is (staging r4 (promotion 12)).
                var (what, number) = (b.Text("pipeline"), b.Text("job")) switch
                {
                    ({ } p, { } j) => ($"{p}/{j}", b.Text("name")),
                    ({ } p, null) => ($"{p}/{b.Text("name")}", ""),
                    _ => ("", b.Text("name")),
                };
                table.Add(b.Text("id"), what, number, b.Text("status"),
                    b.Time("startedAt"), b.Time("endedAt"), Duration(b));
            }
            await table.WriteAsync(call.Output, "no builds");
            return ExitCodes.Ok;
        }, job, pipeline, count);
    }

    public static Command Watch()
    {
        var build = BuildOption(false);
        var job = JobOption(false);
        return ClientVerb.Create("watch", "Stream a build's log live; exit 0 when it succeeded, 1 otherwise", false, async call =>
        {
            var id = call.Parse.GetValue(build);
            var jobText = call.Parse.GetValue(job);
            if ((id is null) == (jobText is null))
            {
                throw new UsageException("give either -b BUILD_ID or -j PIPELINE/JOB");
            }
            if (id is null)
            {
                var (p, j) = Names.Split(jobText!, "-j", "job");
                var summary = await call.Client.GetAsync(Names.Path("pipelines", p, "jobs", j), call.Cancellation);
                var chosen = summary?["nextBuild"] ?? summary?["finishedBuild"]
                    ?? throw new ApiProblemException(404, $"job '{p}/{j}' has no builds yet", []);
                id = long.Parse(chosen.Text("id")!, CultureInfo.InvariantCulture);
            }
            return await BuildWatcher.WatchAsync(call.Client, id.Value, call.Output, call.Error, call.Cancellation);
        }, build, job);
    }

    public static Command Abort()
    {
        var build = BuildOption(true);
        return ClientVerb.Create("abort", "Abort a build", false, async call =>
        {
            var id = call.Parse.GetValue(build)!.Value;
            var result = await call.Client.SendAsync(HttpMethod.Put, $"api/v1/builds/{id}/abort", null, call.Cancellation);
            await call.Output.WriteLineAsync(result.Text("status") == "aborted" ? $"build {id} aborted" : $"build {id}: abort requested");
            return ExitCodes.Ok;
        }, build);
    }

    private static Option<long?> BuildOption(bool required) =>
        new("--build", "-b") { Description = "The build id (the ID column of 'ferry builds')", Required = required };

    private static Option<string> JobOption(bool required) => JobVerbs.JobOption(required);

    private static string Duration(JsonNode b)
    {
        if (!DateTimeOffset.TryParse(b.Text("startedAt"), CultureInfo.InvariantCulture, out var start))
        {
            return "";
        }
        var end = DateTimeOffset.TryParse(b.Text("endedAt"), CultureInfo.InvariantCulture, out var e) ? e : DateTimeOffset.UtcNow;
        var span = end - start;
        return span.TotalHours >= 1 ? $"{(int)span.TotalHours}h{span.Minutes:00}m" : span.TotalMinutes >= 1 ? $"{span.Minutes}m{span.Seconds:00}s" : $"{span.TotalSeconds:0.0}s";
    }
}
