using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Ferry.Benchmarks.Server;

namespace Ferry.Benchmarks.NodeRed;

/// <summary>
/// `node-red-push`: promoting a 1,000-node flow into a Node-RED instance against a bare <c>POST /flows</c> of the
/// same flow (DESIGN.md "Performance budgets": at most 2x, no restart of Node-RED), side by side in one run.
/// </summary>
internal static class NodeRedPushFigures
{
    private const int Rounds = 20;
    private const string Pipeline = "flows";

    private static string PipelineYaml(string dev, string staging) => $$"""
        resources:
          - name: dev-flows
            type: node-red
            check_every: never
            source: { url: "{{dev}}" }
        environments:
          - name: development
            instance: dev-flows
          - name: staging
            from: [development]
            instance: { type: node-red, source: { url: "{{staging}}" } }
            promote: manual
        """;

    public static async Task<int> RunAsync()
    {
        Console.WriteLine($"load average at start: {LoadAverage()}");
        await using var dev = await NodeRedProcess.StartAsync("development");
        await using var staging = await NodeRedProcess.StartAsync("staging");
        await using var bare = await NodeRedProcess.StartAsync("bare");
        await using var server = await ServerProcess.StartAsync();
        using var api = new FerryApi(server);
        Console.WriteLine($"ferry server pid {server.Pid} at {server.Url}; Node-RED development {dev.Url}, staging {staging.Url}, bare {bare.Url}");

        // Staging has its own env values, which every push must keep.
        await staging.DeployAsync(LargeFlow.Of(0, "http://staging").ToJsonString());
        await dev.DeployAsync(LargeFlow.Of(0, "http://dev").ToJsonString());
        var file = Path.Combine(server.DataDirectory, "flows.yml");
        await File.WriteAllTextAsync(file, PipelineYaml(dev.Url, staging.Url));
        await Commands.FerryAsync(server, "set-pipeline", "-p", Pipeline, "-c", file, "--yes");

        var push = new Push(api, server, Pipeline, "staging");
        var release = await SeeSnapshotAsync(api, server, 1);
        var warmUp = await push.RoundAsync(release);
        await CheckStagingAsync(staging, 0);
        await TimeBareAsync(bare, 0, null);
        await TimeBareAsync(bare, 1, "nodes");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"warm-up push of {release}: {warmUp.ObservedMs:0} ms"));

        var pushes = new List<PushRound>();
        var bareFull = new List<double>();
        var bareNodes = new List<double>();
        for (var i = 1; i <= Rounds; i++)
        {
            // A person edits development and Ferry sees the new snapshot (untimed: the check and the release).
            await dev.DeployAsync(LargeFlow.Of(i, "http://dev").ToJsonString());
            release = await SeeSnapshotAsync(api, server, i + 1);

            // Interleaved, so that the machine's load falls on all alike, in an order that turns each round (what
            // runs just after a push meets the server and staging still busy). Each bare deploy changes one node too.
            PushRound? round = null;
            for (var turn = 0; turn < 3; turn++)
            {
                switch ((turn + i) % 3)
                {
                    case 0:
                        round = await push.RoundAsync(release);
                        pushes.Add(round);
                        await CheckStagingAsync(staging, i);
                        break;
                    case 1:
                        bareFull.Add(await TimeBareAsync(bare, 2 * i, null));
                        break;
                    default:
                        bareNodes.Add(await TimeBareAsync(bare, 2 * i + 1, "nodes"));
                        break;
                }
            }
            var marks = string.Join(", ", round!.Marks.Select(m => string.Create(CultureInfo.InvariantCulture, $"{m.What} {m.Ms:0}")));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"round {i,2}: bare full {bareFull[^1],6:0.0} ms, bare nodes {bareNodes[^1],6:0.0} ms, push {round.SucceededMs,6:0.0} ms (seen {round.ObservedMs,6:0.0}): {marks}"));
        }
        foreach (var instance in new[] { dev, staging, bare })
        {
            if (instance.HasExited)
                throw new InvalidOperationException($"Node-RED {instance.Name} exited during the run:\n{instance.Output}");
        }
        Print(pushes, bareFull, bareNodes);
        Console.WriteLine($"load average at end: {LoadAverage()}");
        return 0;
    }

    /// <summary>Asks Ferry to check development and waits for the release of the new snapshot to be verified there.</summary>
    private static async Task<string> SeeSnapshotAsync(FerryApi api, ServerProcess server, int number)
    {
        await api.PostAsync($"pipelines/{Pipeline}/resources/dev-flows/check");
        var name = $"r{number}";
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            var releases = await api.GetAsync($"pipelines/{Pipeline}/releases?limit=5");
            var items = releases as JsonArray ?? releases["items"]!.AsArray();
            // Formed, and in development (a release must be verified upstream before it may go further).
            if (items.Any(r => (string?)r!["name"] == name && r["verifiedIn"]!.AsArray().Any(e => (string?)e == "development")))
                return name;
            await Task.Delay(20);
        }
        throw new TimeoutException($"release {name} was not formed and verified in development within 60 s of the check\n--- server log\n{server.Log}");
    }

    /// <summary>Staging runs round <paramref name="edit"/>'s flows, with its own API_URL.</summary>
    private static async Task CheckStagingAsync(NodeRedProcess staging, int edit)
    {
        var (_, flows) = await staging.GetFlowsAsync();
        if (flows.Count != LargeFlow.Nodes || LargeFlow.EditOf(flows) != edit || LargeFlow.ApiUrlOf(flows) != "http://staging")
            throw new InvalidOperationException(
                $"staging runs {flows.Count} nodes of edit {LargeFlow.EditOf(flows)} with API_URL {LargeFlow.ApiUrlOf(flows)}; expected {LargeFlow.Nodes} of edit {edit} with http://staging");
    }

    /// <summary>GET the rev and POST the same 1,000-node flow, as a script would, in milliseconds.</summary>
    private static async Task<double> TimeBareAsync(NodeRedProcess bare, int edit, string? deploymentType)
    {
        var json = LargeFlow.Of(edit, "http://bare").ToJsonString();
        var clock = Stopwatch.StartNew();
        await bare.DeployAsync(json, deploymentType);
        return clock.Elapsed.TotalMilliseconds;
    }

    private static void Print(List<PushRound> pushes, List<double> bareFull, List<double> bareNodes)
    {
        static string Row(string what, IEnumerable<double> values)
        {
            var sorted = values.Order().ToList();
            return string.Create(CultureInfo.InvariantCulture,
                $"| {what,-58} | {Percentile(sorted, 0.5),8:0.0} | {Percentile(sorted, 0.9),8:0.0} | {sorted[^1],8:0.0} |");
        }
        Console.WriteLine();
        Console.WriteLine($"{LargeFlow.Nodes}-node flow ({LargeFlow.Tabs} tabs), {pushes.Count} interleaved rounds, ms (budget: push at most 2x the bare POST)");
        Console.WriteLine($"| {"measure",-58} | {"median",8} | {"p90",8} | {"max",8} |");
        Console.WriteLine($"|{new string('-', 60)}|{new string('-', 10)}|{new string('-', 10)}|{new string('-', 10)}|");
        Console.WriteLine(Row("bare GET rev + POST /flows (Node-RED's default: full)", bareFull));
        Console.WriteLine(Row("bare GET rev + POST /flows (Deployment-Type: nodes)", bareNodes));
        Console.WriteLine(Row("push: promote request -> promotion succeeded (its endedAt)", pushes.Select(p => p.SucceededMs)));
        Console.WriteLine(Row("push: promote request -> seen succeeded (10 ms poll)", pushes.Select(p => p.ObservedMs)));
        // The marks of every round share their order (the same plan), so each position is one point of the path.
        var previous = "request sent";
        for (var m = 0; m < pushes[0].Marks.Count; m++)
        {
            var what = pushes[0].Marks[m].What;
            var index = m;
            Console.WriteLine(Row($"  {previous} -> {what}", pushes.Select(p => p.Marks[index].Ms - (index == 0 ? 0 : p.Marks[index - 1].Ms))));
            previous = what;
        }
        Console.WriteLine();
        foreach (var (name, bare) in new[] { ("full", bareFull), ("nodes", bareNodes) })
        {
            var ratios = pushes.Select((p, i) => p.SucceededMs / bare[i]).Order().ToList();
            var medians = Percentile([.. pushes.Select(p => p.SucceededMs).Order()], 0.5) / Percentile([.. bare.Order()], 0.5);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"push / bare ({name}): median push / median bare {medians:0.00}x; each round's ratio: median {Percentile(ratios, 0.5):0.00}x, p90 {Percentile(ratios, 0.9):0.00}x"));
            if (name == "full")
                Ferry.Benchmarks.Budgets.BudgetFigures.AtMost("Node-RED push", $"a 1,000-node flow promoted / a bare GET + POST /flows (median over median, {pushes.Count} rounds)", medians, "x", 2);
        }
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "unknown";

    /// <summary>Nearest-rank percentile of sorted values.</summary>
    private static double Percentile(List<double> sorted, double p) =>
        sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
}
