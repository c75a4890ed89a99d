using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using Ferry.Core.Builds;
using Ferry.Core.Plans;
using Ferry.Engine.Running;

namespace Ferry.Benchmarks.Running;

/// <summary>
/// Orchestration overhead: one job of 20 trivial tasks against a shell script running the same 20 commands
/// (budget 1.5x), and log ingest through the runner into an in-memory sink (budget 50 MB/s).
/// Run: dotnet run -c Release --project bench/Ferry.Benchmarks -- --filter '*RunnerBenchmarks*'
/// </summary>
[ShortRunJob]
[MemoryDiagnoser]
public class RunnerBenchmarks
{
    private const int Tasks = 20;
    public const long LogBytes = 256L * 1024 * 1024;

    private string root = "";
    private int build;
    private PlanNode twentyTasks = null!;
    private PlanNode flood = null!;

    [GlobalSetup]
    public void Setup()
    {
        root = Directory.CreateTempSubdirectory("ferry-bench-").FullName;
        twentyTasks = new DoPlan
        {
            Id = "do",
            Steps = [.. Enumerable.Range(0, Tasks).Select(i => new TaskPlan { Id = $"t{i}", Name = $"t{i}", Config = new TaskPlanConfig { Run = new TaskPlanRun { Path = "true" } } })],
        };
        flood = new TaskPlan
        {
            Id = "flood",
            Name = "flood",
            Config = new TaskPlanConfig { Run = new TaskPlanRun { Path = "sh", Args = ["-c", $"yes 'a log line of about sixty characters, as a build prints them' | head -c {LogBytes}"] } },
        };
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(root, recursive: true);

    [Benchmark(Baseline = true, Description = "shell script: 20 x true")]
    public void ShellScript()
    {
        using var process = Process.Start(new ProcessStartInfo("sh", ["-c", string.Join("; ", Enumerable.Repeat("/usr/bin/true", Tasks))]))!;
        process.WaitForExit();
    }

    [Benchmark(Description = "runner: job of 20 tasks (true)")]
    public async Task<BuildStatus> TwentyTasks() => (await RunAsync(twentyTasks, new CountingSink())).Status;

    [Benchmark(Description = "runner: 256 MB of log into memory")]
    public async Task<long> LogIngest()
    {
        var sink = new CountingSink();
        await RunAsync(flood, sink);
        return sink.Bytes;
    }

    [Benchmark(Description = "baseline: 256 MB producer into /dev/null")]
    public void LogProducerAlone()
    {
        using var process = Process.Start(new ProcessStartInfo("sh", ["-c", $"yes 'a log line of about sixty characters, as a build prints them' | head -c {LogBytes} > /dev/null"]))!;
        process.WaitForExit();
    }

    private Task<BuildResult> RunAsync(PlanNode plan, IBuildEventSink sink)
    {
        var workRoot = Path.Combine(root, $"b{++build}");
        return new BuildRunner(new RunnerOptions { LogCapBytes = 2 * LogBytes })
            .RunAsync(new BuildRequest(build, plan, workRoot, _ => null, sink), CancellationToken.None);
    }

    /// <summary>Stores every event in memory, as a live stream's buffer would.</summary>
    private sealed class CountingSink : IBuildEventSink
    {
        private readonly List<BuildEvent> events = [];

        public long Bytes { get; private set; }

        public ValueTask WriteAsync(BuildEvent buildEvent)
        {
            events.Add(buildEvent);
            Bytes += buildEvent.Text?.Length ?? 0;
            return ValueTask.CompletedTask;
        }
    }
}
