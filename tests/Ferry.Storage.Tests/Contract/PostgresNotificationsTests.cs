using Ferry.Core.Builds;
using Ferry.Storage.Events;

namespace Ferry.Storage.Tests.Contract;

/// <summary>
/// Two stores on one PostgreSQL database stand for two server nodes: what one commits, the other's listeners hear
/// (LISTEN/NOTIFY), and a store on another schema hears nothing of it.
/// </summary>
public sealed class PostgresNotificationsTests(PostgresTarget target) : IClassFixture<PostgresTarget>, IUsesPostgres, IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);
    private readonly List<IStore> _opened = [];

    [StoreFact]
    public async Task AnotherNodesListeners_HearEventsAndChanges_WhenOneNodeCommits()
    {
        var database = await target.CreateDatabaseAsync();
        var nodeA = await OpenAsync(database);
        var nodeB = await OpenAsync(database);
        var elsewhere = await OpenAsync(await target.CreateDatabaseAsync());
        var config = await nodeA.SetPipelineAsync(new PipelineConfigInput("heard", "jobs: []", [], null, [], [new JobDefinition("job", [])]));
        var job = (await nodeA.GetJobAsync(config.PipelineId, "job"))!;
        var build = await nodeA.CreateBuildAsync(new NewBuild(config.PipelineId, job.Id, "{}", [], []));
        var appended = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        var changed = new TaskCompletionSource<PipelineChange>(TaskCreationOptions.RunContinuationsAsynchronously);
        var strays = 0;
        using var onB = nodeB.Notifier.Subscribe(build.Id, seq => appended.TrySetResult(seq));
        using var changesOnB = nodeB.Changes.Subscribe(c => { if (c.Kind == PipelineChangeKind.Build) changed.TrySetResult(c); });
        using var onElsewhere = elsewhere.Notifier.Subscribe(build.Id, _ => Interlocked.Increment(ref strays));

        var last = await nodeA.AppendEventsAsync(build.Id, [new BuildEvent(build.Id, 0, DateTimeOffset.UtcNow, BuildEventType.Log, "task", LogStream.Stdout, "hello\n")]);
        await nodeA.FinishBuildAsync(build.Id, BuildStatus.Aborted);

        (await appended.Task.WaitAsync(Deadline)).ShouldBe(last);
        (await changed.Task.WaitAsync(Deadline)).PipelineId.ShouldBe(config.PipelineId);
        // The other schema's store listens on its own channel: by the time node B heard both notices, it heard none.
        strays.ShouldBe(0);
    }

    [StoreFact]
    public async Task AnotherNodesWakeListeners_HearAWake_AndTheSenderDoesNot()
    {
        var database = await target.CreateDatabaseAsync();
        var nodeA = await OpenAsync(database);
        var nodeB = await OpenAsync(database);
        var elsewhere = await OpenAsync(await target.CreateDatabaseAsync());
        var heard = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var echoes = 0;
        var strays = 0;
        using var onB = nodeB.Wakes.Subscribe(loop => heard.TrySetResult(loop));
        using var onA = nodeA.Wakes.Subscribe(_ => Interlocked.Increment(ref echoes));
        using var onElsewhere = elsewhere.Wakes.Subscribe(_ => Interlocked.Increment(ref strays));
        nodeA.Wakes.AcrossNodes.ShouldBeTrue();

        await nodeA.Wakes.SendAsync("runner");

        (await heard.Task.WaitAsync(Deadline)).ShouldBe("runner");
        // Node A's listener got the same notice about when node B's did: it dropped it as its own.
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        echoes.ShouldBe(0);
        strays.ShouldBe(0);
    }

    private async Task<IStore> OpenAsync(TargetDatabase database)
    {
        var store = await target.OpenAsync(database);
        _opened.Add(store);
        return store;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var store in _opened)
            await store.DisposeAsync();
    }
}
