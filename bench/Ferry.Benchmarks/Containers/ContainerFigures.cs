using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Ferry.Core.Builds;
using Ferry.Core.Plans;
using Ferry.Engine.Containers;
using Ferry.Engine.Processes;
using Ferry.Engine.Running;
using Ferry.Tests.Containers;

namespace Ferry.Benchmarks.Containers;

/// <summary>
/// `container-figures` (DESIGN.md "Performance budgets": a trivial task in an image costs no more than `podman run
/// --rm` of it): a job of 20 trivial tasks in one image on Ferry's runner against 20 sequential `podman run --rm` of
/// the same image, alternated round by round in one run, as a ratio; and what an image costs: a pull into empty
/// storage, a pull whose layers podman holds (a tag looked up again), a hit in Ferry's cache.
/// </summary>
internal static class ContainerFigures
{
    private const int Tasks = 20;
    private const int Rounds = 5;

    public static async Task<int> RunAsync()
    {
        await using var registry = await TestRegistry.StartAsync();
        var repository = await registry.PushBusyboxAsync("bench-busybox", "1");
        var reference = $"{repository}:1";
        var data = Directory.CreateTempSubdirectory("ferry-bench-containers-").FullName;
        try
        {
            // Empty storage for this image: the first pull is a real one.
            await ContainerTools.RunAsync("podman", "rmi", "--force", "--ignore", reference);
            var source = new ImageSource(repository, "1", null, null, null, false);
            using var cold = new ContainerRuntime(new ProcessRunner(), data, Path.Combine(data, "containers"));
            var pull = await TimeAsync(() => cold.ImageAsync(source, CancellationToken.None));
            var hit = await TimeAsync(() => cold.ImageAsync(source, CancellationToken.None));
            using var fresh = new ContainerRuntime(new ProcessRunner(), data, Path.Combine(data, "containers"));
            var lookup = await TimeAsync(() => fresh.ImageAsync(source, CancellationToken.None));

            var plan = new DoPlan { Id = "do", Steps = [.. Enumerable.Range(0, Tasks).Select(i => Task(i, repository))] };
            var runner = new BuildRunner(new RunnerOptions { Containers = cold });
            await RunFerryAsync(runner, plan, data, 0); // warm: the sentinel, the JIT
            await RunPodmanAsync(reference);
            var ferry = new List<double>();
            var podman = new List<double>();
            for (var round = 1; round <= Rounds; round++)
            {
                ferry.Add(await RunFerryAsync(runner, plan, data, round));
                podman.Add(await RunPodmanAsync(reference));
                Console.WriteLine(Invariant($"round {round}: Ferry {ferry[^1]:0.00} s, podman run --rm {podman[^1]:0.00} s, ratio {ferry[^1] / podman[^1]:0.00}"));
            }

            Console.WriteLine();
            Console.WriteLine(Invariant($"| measure | figure |"));
            Console.WriteLine(Invariant($"|---|---|"));
            Console.WriteLine(Invariant($"| {Tasks} trivial tasks in one image, one job on Ferry (median of {Rounds}) | {Median(ferry):0.00} s ({Median(ferry) / Tasks * 1000:0} ms a task) |"));
            Console.WriteLine(Invariant($"| {Tasks} sequential `podman run --rm` of the image (median of {Rounds}) | {Median(podman):0.00} s ({Median(podman) / Tasks * 1000:0} ms a run) |"));
            Console.WriteLine(Invariant($"| ratio Ferry / podman (median of the rounds' ratios) | **{Median(ferry.Zip(podman, (f, p) => f / p).ToList()):0.00}x** |"));
            Console.WriteLine(Invariant($"| image pull into empty storage (busybox, one 1 MB layer, loopback registry) | {pull.TotalMilliseconds:0} ms |"));
            Console.WriteLine(Invariant($"| tag looked up again, layers held (a new runtime's first use) | {lookup.TotalMilliseconds:0} ms |"));
            Console.WriteLine(Invariant($"| cache hit (the same runtime, within the tag's minute) | {hit.TotalMilliseconds:0.000} ms |"));
            Ferry.Benchmarks.Budgets.BudgetFigures.AtMost("Containers", Invariant($"{Tasks} trivial tasks in an image on Ferry / {Tasks} `podman run --rm` (median of {Rounds} rounds' ratios)"),
                Median(ferry.Zip(podman, (f, p) => f / p).ToList()), "x", 1.0);
            return 0;
        }
        finally
        {
            await ContainerTools.RunAsync("podman", "rmi", "--force", "--ignore", reference);
            Directory.Delete(data, recursive: true);
        }
    }

    private static TaskPlan Task(int i, string repository) => new()
    {
        Id = $"t{i}",
        Name = $"t{i}",
        Config = new TaskPlanConfig
        {
            ImageResource = new TaskPlanImageResource { Type = "registry-image", Source = new JsonObject { ["repository"] = repository, ["tag"] = "1" } },
            Run = new TaskPlanRun { Path = "true" },
        },
    };

    private static async Task<double> RunFerryAsync(BuildRunner runner, PlanNode plan, string data, int round)
    {
        var clock = Stopwatch.StartNew();
        var result = await runner.RunAsync(new BuildRequest(round, plan, Path.Combine(data, $"b{round}"), _ => null, new NullSink()), CancellationToken.None);
        var elapsed = clock.Elapsed.TotalSeconds;
        if (result.Status != BuildStatus.Succeeded)
            throw new InvalidOperationException($"the benchmark's build ended {result.Status}");
        return elapsed;
    }

    private static async Task<double> RunPodmanAsync(string reference)
    {
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < Tasks; i++)
            await ContainerTools.RunAsync("podman", "run", "--rm", reference, "true");
        return clock.Elapsed.TotalSeconds;
    }

    private static async Task<TimeSpan> TimeAsync(Func<Task> action)
    {
        var clock = Stopwatch.StartNew();
        await action();
        return clock.Elapsed;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private sealed class NullSink : IBuildEventSink
    {
        public ValueTask WriteAsync(BuildEvent buildEvent) => ValueTask.CompletedTask;
    }
}
