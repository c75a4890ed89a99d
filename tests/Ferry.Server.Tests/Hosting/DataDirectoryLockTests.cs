using Ferry.Core.Builds;
using Ferry.Storage;
using Microsoft.Extensions.Logging;

namespace Ferry.Server.Tests.Hosting;

/// <summary>One server per SQLite data directory: a second refuses to start, and leaves the first one's builds alone.</summary>
public sealed class DataDirectoryLockTests
{
    [Fact]
    public async Task Build_RefusesASecondServer_AndTheFirstServersRunningBuildKeepsRunning()
    {
        var data = Path.Combine(Path.GetTempPath(), "ferry-lock-tests-" + Guid.NewGuid().ToString("N")[..12]);
        var first = await RunningServer.StartAsync(o => o with { DataDirectory = data });
        try
        {
            await first.SetPipelineAsync("long", RunningServer.TaskPipeline("echo started; sleep 60"));
            var id = await RunningServer.TriggerAsync(first, "long", "unit");
            await RunningServer.WaitAsync(first.Store, id, b => b.Status == BuildStatus.Started);

            var refused = await Should.ThrowAsync<StoreException>(() => FerryServer.BuildAsync(new ServerOptions
            {
                DataDirectory = data,
                Listen = "http://127.0.0.1:0",
                LogLevel = LogLevel.Warning,
                SeedExample = false,
            }));

            refused.Message.ShouldContain("another Ferry server is already running on the data directory");
            refused.Message.ShouldContain(DataDirectoryLock.FileName);
            (await first.Store.GetBuildAsync(id))!.Status.ShouldBe(BuildStatus.Started, "the second server must not mark the first one's build as abandoned");
            await first.Store.RequestAbortAsync(id, "test over");
            await RunningServer.FinishedAsync(first.Store, id);
        }
        finally
        {
            await first.DisposeAsync();
        }
    }

    [Fact]
    public async Task Build_Starts_WhenTheServerBeforeItOnTheDirectoryStopped()
    {
        var data = Path.Combine(Path.GetTempPath(), "ferry-lock-tests-" + Guid.NewGuid().ToString("N")[..12]);
        var first = await FerryHost.StartAsync(o => o with { DataDirectory = data });
        await first.SetPipelineAsync("kept", Pipelines.Hello);
        await first.DisposeAsync(deleteData: false);

        var second = await FerryHost.StartAsync(o => o with { DataDirectory = data });
        try
        {
            (await second.Store.GetPipelineAsync("kept")).ShouldNotBeNull();
        }
        finally
        {
            await second.DisposeAsync();
        }
    }
}
