using System.Diagnostics;
using System.Globalization;
using Ferry.EndToEnd.Tests.Harness;

namespace Ferry.EndToEnd.Tests.Crash;

/// <summary>A server killed with SIGKILL leaves no task running: its tasks' whole process groups die with it (its group watcher).</summary>
public sealed class TaskProcessesTests
{
    private static readonly TimeSpan TaskSleeps = TimeSpan.FromSeconds(5);

    private const string Pipeline = """
        jobs:
          - name: sleeper
            plan:
              - task: sleep-then-touch
                config:
                  platform: linux
                  run: { path: sh, args: [-c, "sleep 300 & echo started; sleep 5; touch ((marker))"] }
        """;

    [Fact]
    public async Task Kill_WhileATaskRuns_KillsTheTaskAndWhatItStartedAtOnce()
    {
        var scratch = Directory.CreateTempSubdirectory("ferry-e2e-orphans-").FullName;
        var marker = Path.Combine(scratch, "written-after-sleep");
        await using var server = await FerryServer.StartAsync();
        using var api = server.NewApi();
        var file = Path.Combine(scratch, "pipeline.yml");
        await File.WriteAllTextAsync(file, Pipeline);
        (await server.CliAsync("set-pipeline", "-p", "orphans", "-c", file, "-v", $"marker={marker}", "--yes")).ExitCode.ShouldBe(0);
        (await server.CliAsync("trigger", "-j", "orphans/sleeper")).ExitCode.ShouldBe(0);
        long buildId = 0;
        await FerryApi.EventuallyAsync(async () =>
        {
            var build = (await api.BuildsAsync("orphans", "sleeper")).FirstOrDefault();
            buildId = build is null ? 0 : (long)build["id"]!;
            return build is not null && (string)build["status"]! == "started";
        }, "the sleeper build to run", server);
        (await api.StreamShowsAsync(buildId, "started", TimeSpan.FromSeconds(60))).ShouldBeTrue("the task printed 'started'");
        // The task began before it printed: it would write the marker by this moment at the latest.
        var wouldHaveWritten = Stopwatch.StartNew();
        var task = ProcessTable.WithCommandLine(marker).ShouldHaveSingleItem();
        task.Group.ShouldBe(task.Pid, "the task leads its own process group");
        ProcessTable.InGroup(task.Group).Count.ShouldBe(3, "the task and its two sleeps");

        await server.KillAsync();

        await WaitAsync(() => ProcessTable.InGroup(task.Group).Count == 0, "the task and its background sleep to die with their server");
        await server.StartAgainAsync();

        var untilWritten = TaskSleeps + TimeSpan.FromSeconds(1) - wouldHaveWritten.Elapsed;
        if (untilWritten > TimeSpan.Zero)
            await Task.Delay(untilWritten);
        File.Exists(marker).ShouldBeFalse("the task was dead before its sleep ended");
        Directory.Delete(scratch, recursive: true);
    }

    private static async Task WaitAsync(Func<bool> condition, string what)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(15))
                throw new TimeoutException($"timed out waiting for {what}");
            await Task.Delay(50);
        }
    }
}
