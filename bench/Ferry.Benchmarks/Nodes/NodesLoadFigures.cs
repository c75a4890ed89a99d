using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Ferry.Benchmarks.Budgets;
using Ferry.Benchmarks.Server;
using Npgsql;

namespace Ferry.Benchmarks.Nodes;

/// <summary>
/// `nodes-load`: the bounded load test of issue 15. A PostgreSQL cluster, two (or more) real `ferry server` nodes on
/// it with one master key, 100 pipelines of one trivial job set through the nodes' APIs in turn, and 1,000 builds
/// triggered through the nodes in turn at a steady rate. It reports throughput, the reaction (trigger sent -> build
/// started), build durations, the builds each node ran, each node's CPU time and memory and PostgreSQL's CPU, and
/// checks every triggered build exists once and succeeded. A reported figure: issue 15 sets it no budget.
/// </summary>
internal static class NodesLoadFigures
{
    private const string Job = "work";

    private static string PipelineName(int index) => string.Create(CultureInfo.InvariantCulture, $"p{index:000}");

    private static string Pipeline(string name, int sleepMs) => string.Create(CultureInfo.InvariantCulture, $$"""
        jobs:
          - name: {{Job}}
            plan:
              - task: run
                config:
                  platform: linux
                  run: { path: sh, args: [-c, "echo nodes-load {{name}}{{(sleepMs > 0 ? $"; sleep {sleepMs / 1000.0:0.###}" : "")}}"] }
        """);

    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        NodesLoadOptions options;
        try
        {
            options = NodesLoadOptions.Parse(args);
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"nodes-load: {e.Message}\n{NodesLoadOptions.Usage}");
            return 2;
        }
        using var postgres = LocalPostgres.Start();
        var database = await CreateDatabaseAsync(postgres.Connection);
        var keyDirectory = Directory.CreateTempSubdirectory("ferry-bench-key-").FullName;
        var nodes = new List<NodeApi>();
        try
        {
            var keyFile = Path.Combine(keyDirectory, "master.key");
            await File.WriteAllTextAsync(keyFile, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
            for (var i = 1; i <= options.Nodes; i++)
            {
                var name = $"node-{i}";
                // The first node migrates the store and makes the admin; the others join with its token.
                var server = await ServerProcess.StartAsync(null,
                    ["--db", DatabaseUrl(postgres.Connection, database), "--master-key-file", keyFile, "--node-name", name, "--runtime", "process"],
                    nodes.Count > 0 ? nodes[0].Server.AdminToken : null);
                nodes.Add(new NodeApi(server, name));
                Console.WriteLine($"{name}: pid {server.Pid} at {server.Url}");
            }
            return await MeasureAsync(options, nodes, postgres.ServerPid);
        }
        finally
        {
            foreach (var node in nodes)
            {
                node.Dispose();
                await node.Server.DisposeAsync();
            }
            Directory.Delete(keyDirectory, recursive: true);
            await DropDatabaseAsync(postgres.Connection, database);
        }
    }

    private static async Task<int> MeasureAsync(NodesLoadOptions options, List<NodeApi> nodes, int? postgresPid)
    {
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var node in nodes)
            ids[(string)(await node.GetAsync("info"))["nodeId"]!] = node.Name;
        var live = (await nodes[^1].GetAsync("nodes")).AsArray().Count(n => (bool)n!["live"]!);
        if (live != nodes.Count || ids.Count != nodes.Count)
            throw new InvalidOperationException($"expected {nodes.Count} live nodes with ids of their own, found {live} live and ids {string.Join(", ", ids.Keys)}");

        var setting = Stopwatch.StartNew();
        for (var i = 0; i < options.Pipelines; i++)
        {
            var name = PipelineName(i);
            await nodes[i % nodes.Count].PutAsync($"pipelines/{name}/config", new JsonObject { ["config"] = Pipeline(name, options.SleepMs) });
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"set {options.Pipelines} pipelines through the nodes in turn in {setting.Elapsed.TotalSeconds:0.0} s"));

        var idleStart = Usage.Take(nodes, postgresPid);
        await Task.Delay(TimeSpan.FromSeconds(options.IdleSeconds));
        var start = Usage.Take(nodes, postgresPid);
        foreach (var node in nodes)
            node.Server.ResetPeakResident();
        Console.WriteLine(options.Rate > 0
            ? string.Create(CultureInfo.InvariantCulture, $"triggering {options.Builds} builds at {options.Rate:0.##}/s through the nodes in turn (load average {start.Load})")
            : $"triggering {options.Builds} builds at once, 16 requests at a time, through the nodes in turn (load average {start.Load})");
        var triggered = await TriggerAsync(options, nodes);
        var sent = triggered.Max(t => t.SentAt) - triggered.Min(t => t.SentAt);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{triggered.Count(t => t.BuildId is not null)} triggers answered with a build over {sent.TotalSeconds:0.0} s, {triggered.Count(t => t.BuildId is null)} refused or failed"));

        await WaitForEndAsync(options, nodes[0], triggered);
        var end = Usage.Take(nodes, postgresPid);
        // Read back through another node than the one that watched: every node sees the same builds.
        var builds = await nodes[^1].AllBuildsAsync();
        var report = new LoadReport(options, nodes, ids, triggered, builds, idleStart, start, end);
        var failures = report.Check();
        await report.CheckLogsAsync(failures);
        report.Print();
        if (failures.Count == 0)
        {
            Console.WriteLine("\nevery triggered build exists once and succeeded");
            return 0;
        }
        Console.WriteLine($"\n{failures.Count} FAILURES:");
        foreach (var failure in failures.Take(50))
            Console.WriteLine("  " + failure);
        if (failures.Count > 50)
            Console.WriteLine($"  ... and {failures.Count - 50} more");
        await report.PrintFailedBuildsAsync();
        var logs = Directory.CreateTempSubdirectory("ferry-nodes-load-logs-").FullName;
        foreach (var node in nodes)
        {
            var file = Path.Combine(logs, node.Name + ".log");
            await File.WriteAllTextAsync(file, node.Server.Log);
            var problems = node.Server.Log.Split('\n').Where(l => !l.Contains(" info: ", StringComparison.Ordinal)).Take(60).ToList();
            Console.WriteLine($"--- {node.Name}'s log ({file}): {problems.Count} lines that are not info, the first 60\n{string.Join('\n', problems)}");
        }
        return 1;
    }

    /// <summary>
    /// Sends the triggers, build i through node i mod N for pipeline (i div N) mod P, so each pipeline is triggered
    /// through every node: at a steady rate (each request sent on time, whether or not the ones before were answered),
    /// or with a rate of 0 all at once, 16 requests in flight.
    /// </summary>
    private static async Task<Triggered[]> TriggerAsync(NodesLoadOptions options, List<NodeApi> nodes)
    {
        var clock = Stopwatch.StartNew();
        var requests = new List<Task<Triggered>>(options.Builds);
        using var gate = new SemaphoreSlim(16);
        for (var i = 0; i < options.Builds; i++)
        {
            var index = i;
            var node = nodes[index % nodes.Count];
            var pipeline = PipelineName(index / nodes.Count % options.Pipelines);
            if (options.Rate > 0)
            {
                var due = TimeSpan.FromSeconds(index / options.Rate) - clock.Elapsed;
                if (due > TimeSpan.Zero)
                    await Task.Delay(due);
                requests.Add(node.TriggerAsync(index, pipeline, Job));
                continue;
            }
            await gate.WaitAsync();
            requests.Add(Task.Run(async () =>
            {
                try
                {
                    return await node.TriggerAsync(index, pipeline, Job);
                }
                finally
                {
                    gate.Release();
                }
            }));
        }
        return await Task.WhenAll(requests);
    }

    /// <summary>Polls the builds list each second until every triggered build ended, or the timeout after the last trigger.</summary>
    private static async Task WaitForEndAsync(NodesLoadOptions options, NodeApi watcher, Triggered[] triggered)
    {
        var wanted = triggered.Where(t => t.BuildId is not null).Select(t => t.BuildId!.Value).ToHashSet();
        var deadline = DateTime.UtcNow.AddSeconds(options.TimeoutSeconds);
        var shown = Stopwatch.StartNew();
        while (true)
        {
            var statuses = (await watcher.AllBuildsAsync())
                .Where(b => wanted.Contains((long)b["id"]!))
                .GroupBy(b => (string)b["status"]!)
                .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
            var open = statuses.GetValueOrDefault("pending") + statuses.GetValueOrDefault("started");
            var seen = statuses.Values.Sum();
            if ((open == 0 && seen == wanted.Count) || DateTime.UtcNow > deadline)
                return;
            if (shown.Elapsed > TimeSpan.FromSeconds(10))
            {
                Console.WriteLine($"  {seen - open} of {wanted.Count} ended, {statuses.GetValueOrDefault("started")} started, " +
                    $"{statuses.GetValueOrDefault("pending")} pending (load average {LoadAverages.Now()})");
                shown.Restart();
            }
            await Task.Delay(1000);
        }
    }

    private static async Task<string> CreateDatabaseAsync(string admin)
    {
        var name = "ferry_nodes_load_" + Guid.NewGuid().ToString("N")[..8];
        await using var connection = new NpgsqlConnection(admin);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        await command.ExecuteNonQueryAsync();
        return name;
    }

    private static async Task DropDatabaseAsync(string admin, string name)
    {
        try
        {
            await using var connection = new NpgsqlConnection(admin);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", connection);
            await command.ExecuteNonQueryAsync();
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
        {
            Console.Error.WriteLine($"nodes-load: could not drop the database {name}: {e.Message}");
        }
    }

    /// <summary>The nodes get the database as a postgres:// URL, as an operator would write it.</summary>
    private static string DatabaseUrl(string admin, string database)
    {
        var given = new NpgsqlConnectionStringBuilder(admin);
        var user = Uri.EscapeDataString(given.Username ?? "postgres");
        var password = string.IsNullOrEmpty(given.Password) ? "" : ":" + Uri.EscapeDataString(given.Password);
        return string.Create(CultureInfo.InvariantCulture, $"postgres://{user}{password}@{given.Host}:{given.Port}/{database}");
    }
}
