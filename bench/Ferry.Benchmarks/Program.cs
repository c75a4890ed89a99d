using BenchmarkDotNet.Running;
using Ferry.Benchmarks.Budgets;
using Ferry.Benchmarks.Server;

// The figure modes (not BenchmarkDotNet): dotnet run -c Release --project bench/Ferry.Benchmarks -- MODE
// `check [MODE...]` runs them all (or those named) and sets every budgeted figure against its budget.
var modes = new Dictionary<string, Func<Task<int>>>(StringComparer.Ordinal)
{
    // Each corpus dump resolved with Concourse's regression inputs, a few seconds.
    ["resolver"] = Ferry.Benchmarks.Resolving.ResolverFigures.RunAsync,
    // Task output into SQLite and PostgreSQL through the buffered sink, MB/s.
    ["log-ingest"] = Ferry.Benchmarks.Storage.LogIngestFigures.RunAsync,
    // Reaction (webhook -> build started) and idle memory of a real server.
    ["server-figures"] = ServerFigures.RunAsync,
    // A build page with a 20 MB log, 20 parallel loads, peak RSS.
    ["large-log"] = LargeLogFigures.RunAsync,
    // 100 pipelines x 5 environments: the dashboard, a pipeline page and its environments page.
    ["dashboard"] = DashboardFigures.RunAsync,
    // Promoting a 1,000-node flow into Node-RED against a bare POST /flows.
    ["node-red-push"] = Ferry.Benchmarks.NodeRed.NodeRedPushFigures.RunAsync,
    // 20 trivial tasks against a shell script, and the layers in between (rounds: runner-figures N).
    ["runner-figures"] = () => Ferry.Benchmarks.Running.RunnerFigures.RunAsync(args.Length > 0 && args[0] == "runner-figures" ? args : []),
    // Tasks in an image against podman run --rm, image pulls.
    ["container-figures"] = Ferry.Benchmarks.Containers.ContainerFigures.RunAsync,
    // A scheduling pass on the imported hush-house history (SQLite, and PostgreSQL with FERRY_TEST_POSTGRES).
    ["scheduler-pass"] = Ferry.Benchmarks.Resolving.SchedulerPassFigures.RunAsync,
};
// Two or more servers on one PostgreSQL under 1,000 builds: a reported figure without a budget, so not in `check`.
if (args.Length > 0 && args[0] == "nodes-load")
    return await Ferry.Benchmarks.Nodes.NodesLoadFigures.RunAsync(args[1..]);
if (args.Length > 0 && args[0] == "check")
    return await BudgetCheck.RunAsync(args[1..], modes);
if (args.Length > 0 && modes.TryGetValue(args[0], out var run))
    return await run();
// Everything else: BenchmarkDotNet's switcher (--filter '*' runs all).
BenchmarkSwitcher.FromAssembly(typeof(ServerFigures).Assembly).Run(args);
return 0;
