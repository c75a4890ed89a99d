using System.Diagnostics;
using Ferry.Core.Builds;
using Ferry.Core.Plans;

namespace Ferry.Engine.Tests.Running;

public sealed class AbortTests : IDisposable
{
    private readonly RunnerHarness h = new();

    public void Dispose() => h.Dispose();

    /// <summary>A task whose child shell starts a grandchild sleep and records its pid.</summary>
    private TaskPlan Forker(string pidFile) =>
        h.Sh("forker", $"sh -c 'sleep 300 & echo $! > {pidFile}; wait' & wait");

    [Fact]
    public async Task Timeout_KillsProcessTreeAndFails_WhenTaskRunsTooLong()
    {
        var pidFile = Path.Combine(h.Scratch, "pid");
        var clock = Stopwatch.StartNew();

        var result = await h.RunAsync(new TimeoutPlan { Id = "t", Duration = TimeSpan.FromSeconds(1), Step = Forker(pidFile) });

        result.Status.ShouldBe(BuildStatus.Failed);
        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(20));
        h.Sink.Texts(BuildEventType.Error).ShouldContain(t => t.StartsWith("timeout exceeded", StringComparison.Ordinal));
        await Processes.ShouldBeGoneAsync(ReadPid(pidFile));
    }

    [Fact]
    public async Task Abort_KillsProcessTreeAndRunsHooks_WhenBuildIsCancelled()
    {
        var pidFile = Path.Combine(h.Scratch, "pid");
        var trail = Path.Combine(h.Scratch, "trail");
        PlanNode plan = new OnAbortPlan { Id = "oa", Step = Forker(pidFile), Hook = h.Sh("on-abort", $"echo abort >> {trail}") };
        plan = new EnsurePlan { Id = "en", Step = plan, Hook = h.Sh("ensure", $"echo ensure >> {trail}") };
        using var abort = new CancellationTokenSource();

        var run = h.RunAsync(plan, abort.Token);
        for (var i = 0; i < 100 && !File.Exists(pidFile); i++)
        {
            await Task.Delay(50);
        }
        await abort.CancelAsync();
        var result = await run;

        result.Status.ShouldBe(BuildStatus.Aborted);
        h.Sink.Texts(BuildEventType.Status).Last().ShouldBe("aborted");
        File.ReadAllLines(trail).ShouldBe(["abort", "ensure"]);
        await Processes.ShouldBeGoneAsync(ReadPid(pidFile));
    }

    private static int ReadPid(string pidFile) => int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture);
}
