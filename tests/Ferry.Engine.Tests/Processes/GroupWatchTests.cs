using Ferry.Engine.Processes;

namespace Ferry.Engine.Tests.Processes;

/// <summary>
/// Closing the watcher's input kills every group the test process runs, so these tests run alone: in parallel they
/// killed other classes' tasks mid-run (a step "finished" instead of "aborted", a long task failed).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class GroupWatchCollection
{
    public const string Name = "group watch";
}

[Collection(GroupWatchCollection.Name)]
public sealed class GroupWatchTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("ferry-group-watch-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task RunAsync_TellsTheWatcherOfTheGroupWhileItRuns_SoItsDeathKillsTheGroup()
    {
        var started = Path.Combine(_root, "started");
        var spec = new ProcessSpec("sh", ["-c", $"sleep 300 & echo $! > {started}; wait"], _root, ProcessEnvironment.Inherited());
        var run = new ProcessRunner().CaptureAsync(spec, null, 100, CancellationToken.None);
        var sleep = await ProcessRunnerTests.ReadPidAsync(started);
        var watcher = GroupWatch.WatcherPid;

        File.ReadAllText($"/proc/{watcher}/cmdline").ShouldContain("delete groups[$2]");
        // What the kernel does when the server dies, even by SIGKILL.
        GroupWatch.CloseInput();

        await Running.Processes.ShouldBeGoneAsync(sleep);
        (await run).ExitCode.ShouldBe(137);
    }
}
