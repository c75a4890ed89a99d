using System.Text.Json.Nodes;
using Ferry.Core.Builds;

namespace Ferry.Storage.Tests.Contract;

public abstract partial class StoreContract<TTarget>
{
    private static BuildEvent Log(string text, LogStream stream = LogStream.Stdout) =>
        new(0, 0, DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123), BuildEventType.Log, "task:test", stream, text);

    [StoreFact]
    public async Task AppendEvents_NumbersEventsInOrder_AndReadsFromASeq()
    {
        var pipeline = await NewPipelineAsync(Store, [], ["unit"]);
        var build = await Store.CreateBuildAsync(JobBuild(pipeline, "unit"));
        var started = new BuildEvent(0, 0, DateTimeOffset.UtcNow, BuildEventType.StepStarted, "task:test", Payload: new JsonObject { ["kind"] = "task", ["name"] = "test" });

        (await Store.AppendEventsAsync(build.Id, [started, Log("one\n"), Log("two\n", LogStream.Stderr)])).ShouldBe(3);
        (await Store.AppendEventsAsync(build.Id, [Log("three\n")])).ShouldBe(4);
        (await Store.AppendEventsAsync(build.Id, [])).ShouldBe(4);

        var all = await Store.ReadEventsAsync(build.Id);
        all.Select(e => e.Seq).ShouldBe([1, 2, 3, 4]);
        all.Select(e => e.Text).ShouldBe([null, "one\n", "two\n", "three\n"]);
        all[0].Type.ShouldBe(BuildEventType.StepStarted);
        all[0].Payload!["name"]!.GetValue<string>().ShouldBe("test");
        all[1].ShouldBe(Log("one\n") with { BuildId = build.Id, Seq = 2 });
        all[2].Stream.ShouldBe(LogStream.Stderr);
        (await Store.ReadEventsAsync(build.Id, afterSeq: 2)).Select(e => e.Seq).ShouldBe([3, 4]);
        (await Store.ReadEventsAsync(build.Id, afterSeq: 0, limit: 2)).Select(e => e.Seq).ShouldBe([1, 2]);
        (await Store.ReadEventsAsync(build.Id, afterSeq: 4)).ShouldBeEmpty();
    }

    [StoreFact]
    public async Task AppendEvents_KeepsEveryEventInOrder_WhenBatchesFollowEachOther()
    {
        var pipeline = await NewPipelineAsync(Store, [], ["unit"]);
        var build = await Store.CreateBuildAsync(JobBuild(pipeline, "unit"));

        for (var batch = 0; batch < 20; batch++)
        {
            await Store.AppendEventsAsync(build.Id, [.. Enumerable.Range(0, 50).Select(i => Log($"{batch * 50 + i}\n"))]);
        }

        var events = await Store.ReadEventsAsync(build.Id, limit: 5000);
        events.Select(e => e.Text).ShouldBe(Enumerable.Range(0, 1000).Select(i => $"{i}\n"));
        events.Select(e => e.Seq).ShouldBe(Enumerable.Range(1, 1000).Select(i => (long)i));
    }

    [StoreFact]
    public async Task WaitForEvents_Completes_WhenAnEventIsAppended()
    {
        var pipeline = await NewPipelineAsync(Store, [], ["unit"]);
        var build = await Store.CreateBuildAsync(JobBuild(pipeline, "unit"));
        await Store.AppendEventsAsync(build.Id, [Log("first\n")]);
        await Store.WaitForEventsAsync(build.Id, 0, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));

        var waiting = Store.WaitForEventsAsync(build.Id, 1, CancellationToken.None);
        await Task.Delay(50);
        waiting.IsCompleted.ShouldBeFalse();
        await Store.AppendEventsAsync(build.Id, [Log("second\n")]);

        await waiting.WaitAsync(TimeSpan.FromSeconds(5));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
        await Should.ThrowAsync<OperationCanceledException>(() => Store.WaitForEventsAsync(build.Id, 2, cancel.Token));
    }

    [StoreFact]
    public async Task Notifier_TellsSubscribers_TheLastSeqAfterCommit()
    {
        var pipeline = await NewPipelineAsync(Store, [], ["unit"]);
        var build = await Store.CreateBuildAsync(JobBuild(pipeline, "unit"));
        var seen = new List<long>();
        using (Store.Notifier.Subscribe(build.Id, seq => { lock (seen) { seen.Add(seq); } }))
        {
            await Store.AppendEventsAsync(build.Id, [Log("a\n"), Log("b\n")]);
            await Store.AppendEventsAsync(build.Id, [Log("c\n")]);
        }
        await Store.AppendEventsAsync(build.Id, [Log("d\n")]);

        seen.ShouldBe([2, 3]);
    }

    [StoreFact]
    public async Task PruneEvents_DeletesEventsOfOlderFinishedBuilds_BeyondTheNewestPerJob()
    {
        var store = await OpenFreshAsync();
        var pipeline = await NewPipelineAsync(store, [], ["unit"]);
        var builds = new List<BuildRecord>();
        for (var i = 0; i < 4; i++)
        {
            var build = await store.CreateBuildAsync(JobBuild(pipeline, "unit"));
            await store.AppendEventsAsync(build.Id, [Log("x\n"), Log("y\n")]);
            builds.Add(build);
        }
        await store.FinishBuildAsync(builds[1].Id, BuildStatus.Aborted);
        await store.FinishBuildAsync(builds[2].Id, BuildStatus.Aborted);
        await store.FinishBuildAsync(builds[3].Id, BuildStatus.Aborted);

        // Keep 2: builds 3 and 4 keep theirs, build 2 loses its events, build 1 is still pending so it keeps them.
        (await store.PruneEventsAsync(2)).ShouldBe(2);

        (await store.ReadEventsAsync(builds[0].Id)).Count.ShouldBe(2);
        (await store.ReadEventsAsync(builds[1].Id)).ShouldBeEmpty();
        (await store.ReadEventsAsync(builds[2].Id)).Count.ShouldBe(2);
        (await store.ReadEventsAsync(builds[3].Id)).Count.ShouldBe(2);
        (await store.GetBuildAsync(builds[1].Id)).ShouldNotBeNull();
    }

    [StoreFact]
    public async Task BufferedSink_StoresEveryEventInOrder_WhenFlushed()
    {
        var pipeline = await NewPipelineAsync(Store, [], ["unit"]);
        var build = await Store.CreateBuildAsync(JobBuild(pipeline, "unit"));
        var sink = new BufferedBuildEventSink(Store, build.Id, queueCapacity: 16, maxBatch: 50);

        for (var i = 0; i < 500; i++)
        {
            await sink.WriteAsync(Log($"{i}\n"));
        }
        await sink.FlushAsync();

        (await Store.ReadEventsAsync(build.Id, limit: 1000)).Select(e => e.Text).ShouldBe(Enumerable.Range(0, 500).Select(i => $"{i}\n"));
        await sink.WriteAsync(Log("last\n"));
        await sink.DisposeAsync();
        (await Store.ReadEventsAsync(build.Id, afterSeq: 500)).ShouldHaveSingleItem().Text.ShouldBe("last\n");
    }

    [StoreFact]
    public async Task BufferedSink_ReportsTheFailure_WhenTheBuildDoesNotExist()
    {
        var sink = new BufferedBuildEventSink(Store, long.MaxValue);
        await sink.WriteAsync(Log("lost\n"));

        var error = await Should.ThrowAsync<StoreException>(() => sink.FlushAsync());

        error.Message.ShouldContain($"build {long.MaxValue}");
        await Should.ThrowAsync<StoreException>(async () => await sink.WriteAsync(Log("more\n")));
        await Should.ThrowAsync<StoreException>(async () => await sink.DisposeAsync());
    }
}
