using BenchmarkDotNet.Running;
using Ferry.Benchmarks.Server;

// Run all: dotnet run -c Release --project bench/Ferry.Benchmarks -- --filter '*'
// Server figures (reaction, idle memory): dotnet run -c Release --project bench/Ferry.Benchmarks -- server-figures
// Container figures (tasks in an image vs podman run --rm, image pulls): ... -- container-figures
if (args.Length > 0 && args[0] == "server-figures")
    return await ServerFigures.RunAsync();
// 20 trivial tasks against a shell script, and the layers in between: ... -- runner-figures [rounds]
if (args.Length > 0 && args[0] == "runner-figures")
    return await Ferry.Benchmarks.Running.RunnerFigures.RunAsync(args);
if (args.Length > 0 && args[0] == "container-figures")
    return await Ferry.Benchmarks.Containers.ContainerFigures.RunAsync();
// A build page with a 20 MB log, 20 parallel loads, peak RSS: dotnet run -c Release --project bench/Ferry.Benchmarks -- large-log
if (args.Length > 0 && args[0] == "large-log")
    return await LargeLogFigures.RunAsync();
// Promoting a 1,000-node flow into Node-RED against a bare POST /flows: ... -- node-red-push
if (args.Length > 0 && args[0] == "node-red-push")
    return await Ferry.Benchmarks.NodeRed.NodeRedPushFigures.RunAsync();
// 100 pipelines x 5 environments: the dashboard, a pipeline page and its environments page: ... -- dashboard
if (args.Length > 0 && args[0] == "dashboard")
    return await DashboardFigures.RunAsync();
BenchmarkSwitcher.FromAssembly(typeof(ServerFigures).Assembly).Run(args);
return 0;
