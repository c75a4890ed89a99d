using System.Globalization;
using System.Text.Json.Nodes;

namespace Ferry.Benchmarks.Nodes;

/// <summary>
/// The outcome of a <c>nodes-load</c> run: the checks (every triggered build exists once, succeeded, was run by one of
/// the nodes, each job's builds are numbered without gaps or repeats) and the figures, printed as Markdown tables.
/// </summary>
internal sealed class LoadReport
{
    private readonly NodesLoadOptions _options;
    private readonly List<NodeApi> _nodes;
    private readonly IReadOnlyDictionary<string, string> _nodeNames;
    private readonly Triggered[] _triggered;
    private readonly List<Build> _builds;
    private readonly Usage _idle;
    private readonly Usage _start;
    private readonly Usage _end;
    private readonly Dictionary<long, Triggered> _byBuild;

    /// <param name="nodeNames">The node names by node id (what builds' claimedBy holds).</param>
    public LoadReport(NodesLoadOptions options, List<NodeApi> nodes, IReadOnlyDictionary<string, string> nodeNames, Triggered[] triggered,
        List<JsonNode> builds, Usage idle, Usage start, Usage end)
    {
        _options = options;
        _nodes = nodes;
        _nodeNames = nodeNames;
        _triggered = triggered;
        _builds = [.. builds.Select(Build.From)];
        _idle = idle;
        _start = start;
        _end = end;
        _byBuild = triggered.Where(t => t.BuildId is not null).ToDictionary(t => t.BuildId!.Value);
    }

    /// <summary>The builds this run triggered that ended succeeded, with the trigger that made each.</summary>
    private List<(Build Build, Triggered Trigger)> Succeeded =>
        [.. _builds.Where(b => b.Status == "succeeded" && _byBuild.ContainsKey(b.Id) && b.StartedAt is not null && b.EndedAt is not null)
            .DistinctBy(b => b.Id).Select(b => (b, _byBuild[b.Id]))];

    public List<string> Check()
    {
        var failures = new List<string>();
        failures.AddRange(_triggered.Where(t => t.Error is not null).Select(t => $"trigger {t.Index} of {t.Pipeline}/work through {t.Node}: {t.Error}"));
        failures.AddRange(_builds.GroupBy(b => b.Id).Where(g => g.Count() > 1).Select(g => $"build {g.Key} is listed {g.Count()} times"));
        var listed = _builds.Select(b => b.Id).ToHashSet();
        failures.AddRange(_byBuild.Keys.Where(id => !listed.Contains(id)).Select(id => $"build {id} (triggered through {_byBuild[id].Node}) is missing from the builds list"));
        failures.AddRange(_builds.Where(b => !_byBuild.ContainsKey(b.Id)).Select(b => $"build {b.Id} ({b.Title}) was made though nobody triggered it"));
        foreach (var build in _builds.Where(b => _byBuild.ContainsKey(b.Id)).DistinctBy(b => b.Id))
        {
            if (build.Status is "pending" or "started")
                failures.Add($"build {build.Id} ({build.Title}) is stuck {build.Status} {_options.TimeoutSeconds} s after the last trigger (claimed by {Node(build.ClaimedBy)})");
            else if (build.Status != "succeeded")
                failures.Add($"build {build.Id} ({build.Title}) ended {build.Status} on {Node(build.ClaimedBy)}: {build.Reason}");
            else if (build.ClaimedBy is null || !_nodeNames.ContainsKey(build.ClaimedBy))
                failures.Add($"build {build.Id} ({build.Title}) succeeded, claimed by '{build.ClaimedBy}', which is none of the nodes");
        }
        foreach (var job in _builds.GroupBy(b => b.Pipeline))
        {
            var numbers = job.Select(b => int.TryParse(b.Name, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1).Order().ToList();
            var triggers = _triggered.Count(t => t.Pipeline == job.Key && t.BuildId is not null);
            if (!numbers.SequenceEqual(Enumerable.Range(1, triggers)))
                failures.Add($"{job.Key}/work has builds named {string.Join(",", numbers)} for {triggers} triggers: expected 1..{triggers} once each");
        }
        return failures;
    }

    /// <summary>Each node's first build: its log, read through another node, holds what its task printed.</summary>
    public async Task CheckLogsAsync(List<string> failures)
    {
        foreach (var (id, name) in _nodeNames)
        {
            var build = Succeeded.Select(s => s.Build).Where(b => b.ClaimedBy == id).MinBy(b => b.Id);
            if (build is null)
                continue;
            var reader = _nodes.First(n => n.Name != name || _nodes.Count == 1);
            var log = await reader.GetAsync($"builds/{build.Id}/log");
            var text = string.Concat(log["events"]!.AsArray().Where(e => (string)e!["type"]! == "log").Select(e => (string)e!["text"]!));
            if (!text.Contains($"nodes-load {build.Pipeline}", StringComparison.Ordinal))
                failures.Add($"build {build.Id} ({build.Title}) ran on {name}, but its log read through {reader.Name} does not show its echo: '{text.Trim()}'");
        }
    }

    /// <summary>The stored events of up to ten builds that did not succeed, for the failures to say what happened.</summary>
    public async Task PrintFailedBuildsAsync()
    {
        foreach (var build in _builds.Where(b => _byBuild.ContainsKey(b.Id) && b.Status != "succeeded").DistinctBy(b => b.Id).Take(10))
        {
            Console.WriteLine($"--- build {build.Id} ({build.Title}), {build.Status}, claimed by {Node(build.ClaimedBy)}, triggered through {_byBuild[build.Id].Node}: its events");
            var log = await _nodes[0].GetAsync($"builds/{build.Id}/log");
            foreach (var e in log["events"]!.AsArray())
                Console.WriteLine($"  {e!["time"]} {e["type"]} {e["stepId"]} {((string?)e["text"])?.TrimEnd()} {e["payload"]?.ToJsonString()}");
        }
    }

    public void Print()
    {
        var succeeded = Succeeded;
        var first = _triggered.Min(t => t.SentAt);
        var lastEnd = succeeded.Count > 0 ? succeeded.Max(s => s.Build.EndedAt!.Value) : _end.At;
        var wall = (lastEnd - first).TotalSeconds;
        var sending = (_triggered.Max(t => t.SentAt) - first).TotalSeconds;
        var window = (_end.At - _start.At).TotalSeconds;
        var reaction = succeeded.Select(s => Ms(s.Build.StartedAt!.Value - s.Trigger.SentAt)).ToList();
        var local = succeeded.Where(s => Node(s.Build.ClaimedBy) == s.Trigger.Node).Select(s => Ms(s.Build.StartedAt!.Value - s.Trigger.SentAt)).ToList();
        var remote = succeeded.Where(s => Node(s.Build.ClaimedBy) != s.Trigger.Node).Select(s => Ms(s.Build.StartedAt!.Value - s.Trigger.SentAt)).ToList();

        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"nodes-load {_start.At:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores: {_nodes.Count} nodes, {_options.Pipelines} pipelines, " +
            $"{_options.Builds} builds triggered {(_options.Rate > 0 ? $"at {_options.Rate:0.##}/s" : "at once (16 requests in flight)")}, a task of echo + sleep {_options.SleepMs} ms"));
        Console.WriteLine($"load average (1 / 5 / 15 min): {_start.Load} at the first trigger, {_end.Load} when the last build had ended");
        Console.WriteLine();
        Console.WriteLine("| measure | median | p95 | max |");
        Console.WriteLine("|---|---:|---:|---:|");
        Console.WriteLine(Row("reaction: trigger sent -> build startedAt (ms)", reaction));
        Console.WriteLine(Row("  trigger sent -> createdAt (pending)", succeeded.Select(s => Ms(s.Build.CreatedAt - s.Trigger.SentAt))));
        Console.WriteLine(Row("  createdAt -> startedAt (queue and claim)", succeeded.Select(s => Ms(s.Build.StartedAt!.Value - s.Build.CreatedAt))));
        Console.WriteLine(Row($"  reaction, run by the node that took the trigger ({local.Count})", local));
        Console.WriteLine(Row($"  reaction, run by another node ({remote.Count})", remote));
        Console.WriteLine(Row("trigger request answered (ms)", _triggered.Select(t => t.AnsweredMs)));
        Console.WriteLine(Row("build duration: startedAt -> endedAt (ms)", succeeded.Select(s => Ms(s.Build.EndedAt!.Value - s.Build.StartedAt!.Value))));
        Console.WriteLine();
        Console.WriteLine("| figure | value |");
        Console.WriteLine("|---|---:|");
        Console.WriteLine(Line("builds succeeded / triggered", $"{succeeded.Count} / {_options.Builds}"));
        Console.WriteLine(Line("wall: first trigger sent -> last build ended", $"{wall:0.0} s"));
        Console.WriteLine(Line("throughput (succeeded builds / wall)", $"{succeeded.Count / wall:0.00} builds/s"));
        Console.WriteLine(Line("triggers sent over", $"{sending:0.0} s ({_triggered.Length / Math.Max(sending, 0.001):0.0}/s)"));
        Console.WriteLine(Line("most builds pending at once (backlog)", $"{PeakBacklog()}"));
        Console.WriteLine(Line("most builds started at once (all nodes)", $"{PeakRunning()}"));
        Console.WriteLine(Line("PostgreSQL CPU over the run (postmaster and backends)",
            _end.PostgresSeconds is { } pgEnd && _start.PostgresSeconds is { } pgStart
                ? $"{pgEnd - pgStart:0.0} s ({(pgEnd - pgStart) / window * 100:0}% of a core)"
                : "not measured (FERRY_TEST_POSTGRES: the cluster is not this run's)"));
        var idle = (_start.At - _idle.At).TotalSeconds;
        if (idle >= 1)
        {
            var nodesIdle = string.Join(", ", _nodes.Select(n =>
                string.Create(CultureInfo.InvariantCulture, $"{n.Name} {(_start.Nodes[n.Name].Cpu - _idle.Nodes[n.Name].Cpu).OwnSeconds / idle * 100:0.0}%")));
            var postgresIdle = _start.PostgresSeconds is { } a && _idle.PostgresSeconds is { } b
                ? string.Create(CultureInfo.InvariantCulture, $"{(a - b) / idle * 100:0.0}%")
                : "not measured";
            Console.WriteLine(Line($"CPU while idle, {idle:0} s before the triggers (the pipelines set, nothing running), % of a core",
                $"{nodesIdle}, PostgreSQL {postgresIdle}"));
        }
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Each node over the {window:0.0} s from the first trigger to the end of the last build:"));
        Console.WriteLine();
        Console.WriteLine("| node | triggers taken | builds run | server CPU s | (% of a core) | its tasks' CPU s | RSS start MB | RSS end MB | peak RSS MB |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var node in _nodes)
        {
            var cpu = _end.Nodes[node.Name].Cpu - _start.Nodes[node.Name].Cpu;
            var ran = succeeded.Count(s => Node(s.Build.ClaimedBy) == node.Name);
            var taken = _triggered.Count(t => t.Node == node.Name && t.BuildId is not null);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {node.Name} | {taken} | {ran} | {cpu.OwnSeconds:0.0} | {cpu.OwnSeconds / window * 100:0}% | {cpu.ChildrenSeconds:0.00} | " +
                $"{_start.Nodes[node.Name].ResidentMb:0.0} | {_end.Nodes[node.Name].ResidentMb:0.0} | {_end.Nodes[node.Name].PeakResidentMb:0.0} |"));
        }
    }

    private int PeakBacklog() => Peak(_builds.Where(b => _byBuild.ContainsKey(b.Id)).Select(b => (b.CreatedAt, b.StartedAt)));

    private int PeakRunning() => Peak(_builds.Where(b => _byBuild.ContainsKey(b.Id) && b.StartedAt is not null).Select(b => (b.StartedAt!.Value, b.EndedAt)));

    /// <summary>The most spans open at one time; an end at the same instant as a start counts first.</summary>
    private static int Peak(IEnumerable<(DateTimeOffset From, DateTimeOffset? To)> spans)
    {
        var steps = spans.SelectMany(s => s.To is { } to ? new[] { (s.From, 1), (to, -1) } : [(s.From, 1)])
            .OrderBy(s => s.Item1).ThenBy(s => s.Item2);
        int open = 0, most = 0;
        foreach (var (_, step) in steps)
            most = Math.Max(most, open += step);
        return most;
    }

    private string Node(string? id) => id is not null && _nodeNames.TryGetValue(id, out var name) ? name : id ?? "no node";

    private static double Ms(TimeSpan span) => span.TotalMilliseconds;

    private static string Line(string what, string value) => $"| {what} | {value} |";

    private static string Row(string what, IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        if (sorted.Count == 0)
            return $"| {what} | - | - | - |";
        return string.Create(CultureInfo.InvariantCulture,
            $"| {what} | {Percentile(sorted, 0.5):0.0} | {Percentile(sorted, 0.95):0.0} | {sorted[^1]:0.0} |");
    }

    /// <summary>Nearest-rank percentile of sorted values.</summary>
    private static double Percentile(List<double> sorted, double p) =>
        sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

    /// <summary>A build as the API lists it (BuildSummary).</summary>
    private sealed record Build(long Id, string Name, string? Pipeline, string Status, DateTimeOffset CreatedAt, DateTimeOffset? StartedAt,
        DateTimeOffset? EndedAt, string? Reason, string? ClaimedBy)
    {
        public string Title => $"{Pipeline}/work #{Name}";

        public static Build From(JsonNode b) => new(
            (long)b["id"]!, (string)b["name"]!, (string?)b["pipeline"], (string)b["status"]!, b["createdAt"]!.GetValue<DateTimeOffset>(),
            b["startedAt"]?.GetValue<DateTimeOffset>(), b["endedAt"]?.GetValue<DateTimeOffset>(), (string?)b["reason"], (string?)b["claimedBy"]);
    }
}
