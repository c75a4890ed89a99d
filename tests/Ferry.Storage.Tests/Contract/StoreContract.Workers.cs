using Ferry.Core.Builds;
using Ferry.Core.Plans;
using Ferry.Storage.Workers;

namespace Ferry.Storage.Tests.Contract;

public abstract partial class StoreContract<TTarget>
{
    private static string TaskPlanJson(params string[][] tagsPerTask) => PlanJson.Serialize(new DoPlan
    {
        Id = "0",
        Steps = [.. tagsPerTask.Select((tags, i) => new TaskPlan { Id = $"t{i}", Name = $"t{i}", Tags = tags })],
    });

    private static string InstancePutPlanJson() => PlanJson.Serialize(new DoPlan
    {
        Id = "0",
        Steps = [new PutPlan { Id = "p", Name = "deploy", Resource = "instance(prod)", Type = "node-red" }],
    });

    private async Task<BuildRecord> TaggedBuildAsync(IStore store, TestPipeline pipeline, params string[][] tagsPerTask) =>
        await store.CreateBuildAsync(JobBuild(pipeline, "unit") with { PlanJson = TaskPlanJson(tagsPerTask) });

    private static WorkerInfo Info(params string[] tags) => new(tags, "process", 2, "0.9.0");

    [StoreFact]
    public async Task CreateBuild_StoresTheUnionOfItsStepsTags()
    {
        var store = await OpenFreshAsync();
        var pipeline = await NewPipelineAsync(store, [], ["unit"]);
        var build = await TaggedBuildAsync(store, pipeline, ["gpu"], ["linux", "gpu"], []);

        (await store.GetBuildTagsAsync(build.Id)).ShouldBe(["gpu", "linux"]);
        (await store.GetBuildTagsAsync((await TaggedBuildAsync(store, pipeline, [])).Id)).ShouldBeEmpty();
    }

    [StoreFact]
    public async Task Claim_ByTags_FollowsConcourse_ASubsetOfTheWorkersTags_AndUntaggedOnlyOnUntagged()
    {
        var store = await OpenFreshAsync();
        var pipeline = await NewPipelineAsync(store, [], ["unit"]);
        var gpuLinux = await TaggedBuildAsync(store, pipeline, ["gpu"], ["linux"]);
        var untagged = await TaggedBuildAsync(store, pipeline, []);
        var arm = await TaggedBuildAsync(store, pipeline, ["arm"]);
        var deploy = await store.CreateBuildAsync(JobBuild(pipeline, "unit") with { PlanJson = InstancePutPlanJson() });

        // A worker with only one of the tags runs neither the two-tag build nor an untagged one.
        (await store.ClaimNextBuildAsync(new BuildClaimer("w-gpu", ["gpu"], Remote: true))).ShouldBeNull();
        var onBig = await store.ClaimNextBuildAsync(new BuildClaimer("w-big", ["linux", "gpu", "x86"], Remote: true));
        onBig!.Id.ShouldBe(gpuLinux.Id);
        onBig.ClaimedBy.ShouldBe("w-big");
        (await store.ClaimNextBuildAsync(new BuildClaimer("w-big", ["linux", "gpu", "x86"], Remote: true))).ShouldBeNull();
        // An untagged remote worker runs untagged builds, but not a Node-RED instance deploy (embedded only).
        (await store.ClaimNextBuildAsync(new BuildClaimer("w-plain", [], Remote: true)))!.Id.ShouldBe(untagged.Id);
        (await store.ClaimNextBuildAsync(new BuildClaimer("w-plain", [], Remote: true))).ShouldBeNull();
        (await store.ClaimNextBuildAsync("node-1"))!.Id.ShouldBe(deploy.Id);
        (await store.ClaimNextBuildAsync("node-1")).ShouldBeNull();
        (await store.ClaimNextBuildAsync(new BuildClaimer("w-arm", ["arm"], Remote: true)))!.Id.ShouldBe(arm.Id);
        (await store.ListStartedBuildsAsync()).Select(b => (b.Id, b.ClaimedBy, b.Worker)).ShouldBe(
            [(gpuLinux.Id, "w-big", "w-big"), (untagged.Id, "w-plain", "w-plain"), (arm.Id, "w-arm", "w-arm"), (deploy.Id, "node-1", null)],
            ignoreOrder: true);
    }

    [StoreFact]
    public async Task Workers_RegisterBeatAndList_AndAHeartbeatAnswersAbortAndDrop()
    {
        var store = await OpenFreshAsync();
        var pipeline = await NewPipelineAsync(store, [], ["unit"]);
        var registered = await store.RegisterWorkerAsync("w1", Info("linux", "gpu"), []);
        registered.Tags.ShouldBe(["gpu", "linux"]);
        registered.State.ShouldBe(WorkerState.Running);
        var first = await TaggedBuildAsync(store, pipeline, ["gpu"]);
        var second = await TaggedBuildAsync(store, pipeline, ["linux"]);
        await store.ClaimNextBuildAsync(new BuildClaimer("w1", registered.Tags, Remote: true));
        await store.ClaimNextBuildAsync(new BuildClaimer("w1", registered.Tags, Remote: true));
        await store.RequestAbortAsync(second.Id, "aborted by alice");

        var beat = await store.HeartbeatWorkerAsync("w1", [first.Id, second.Id, 999_999]);

        beat!.Abort.ShouldBe([second.Id]);
        beat.Drop.ShouldBe([999_999L]);
        (await store.HeartbeatWorkerAsync("nobody", [])).ShouldBeNull();
        var listed = (await store.ListWorkersAsync()).ShouldHaveSingleItem();
        listed.Name.ShouldBe("w1");
        listed.Running.ShouldBe([first.Id, second.Id]);
        listed.Capacity.ShouldBe(2);
        listed.Runtime.ShouldBe("process");
        listed.Version.ShouldBe("0.9.0");
    }

    [StoreFact]
    public async Task Workers_ALostWorkersBuildsError_NamingIt_AndNodeSweepsNeverTouchThem()
    {
        var clock = new SettableClock(DateTimeOffset.UtcNow);
        var store = await OpenFreshAsync(clock);
        var pipeline = await NewPipelineAsync(store, [], ["unit"]);
        await store.RegisterWorkerAsync("w1", Info(), []);
        await store.RegisterWorkerAsync("w2", Info(), []);
        var onW1 = await TaggedBuildAsync(store, pipeline, []);
        await store.ClaimNextBuildAsync(new BuildClaimer("w1", [], Remote: true));
        var onW2 = await TaggedBuildAsync(store, pipeline, []);
        await store.ClaimNextBuildAsync(new BuildClaimer("w2", [], Remote: true));

        // A server start on SQLite ends every other node's builds: not a worker's (they live across server restarts).
        await store.RegisterNodeAsync("node-a", "a");
        (await store.EndLostNodesAsync(TimeSpan.Zero, except: "node-a")).ErroredBuilds.ShouldBeEmpty();

        clock.Advance(TimeSpan.FromSeconds(20));
        (await store.HeartbeatWorkerAsync("w2", [onW2.Id])).ShouldNotBeNull();
        var sweep = await store.EndLostWorkersAsync(TimeSpan.FromSeconds(10));

        sweep.Lost.Select(w => w.Name).ShouldBe(["w1"]);
        sweep.ErroredBuilds.ShouldBe([onW1.Id]);
        var errored = (await store.GetBuildAsync(onW1.Id))!;
        errored.Status.ShouldBe(BuildStatus.Errored);
        errored.Reason!.ShouldStartWith("worker w1 stopped heartbeating");
        var events = await store.ReadEventsAsync(onW1.Id);
        events.Select(e => e.Type).ShouldBe([BuildEventType.Error, BuildEventType.Status]);
        events[0].Text.ShouldBe(errored.Reason);
        (await store.GetBuildAsync(onW2.Id))!.Status.ShouldBe(BuildStatus.Started);
        (await store.HeartbeatWorkerAsync("w1", [onW1.Id])).ShouldBeNull();
        (await store.ListWorkersAsync()).Select(w => (w.Name, w.State)).ShouldBe([("w1", WorkerState.Lost), ("w2", WorkerState.Running)]);
        (await store.EndLostWorkersAsync(TimeSpan.FromSeconds(10))).ErroredBuilds.ShouldBeEmpty();

        // Registering again makes it running; the builds it no longer runs (it restarted) are errored, naming it.
        var onW2Too = await TaggedBuildAsync(store, pipeline, []);
        await store.ClaimNextBuildAsync(new BuildClaimer("w2", [], Remote: true));
        (await store.RegisterWorkerAsync("w2", Info(), [onW2.Id])).Running.ShouldBe([onW2.Id]);
        (await store.GetBuildAsync(onW2Too.Id))!.Reason.ShouldBe("worker w2 registered again without this build (the worker restarted while the build was running)");
        (await store.RegisterWorkerAsync("w1", Info(), [])).State.ShouldBe(WorkerState.Running);
    }

    [StoreFact]
    public async Task WorkerEvents_AreStoredOnce_WhenABatchIsSentAgain_AndOnlyForTheWorkersStartedBuild()
    {
        var store = await OpenFreshAsync();
        var pipeline = await NewPipelineAsync(store, [], ["unit"]);
        var build = await TaggedBuildAsync(store, pipeline, []);
        await store.ClaimNextBuildAsync(new BuildClaimer("w1", [], Remote: true));
        static BuildEvent Log(string text) => new(0, 0, DateTimeOffset.UtcNow, BuildEventType.Log, "t0", LogStream.Stdout, text + "\n");

        (await store.AppendWorkerEventsAsync(build.Id, "w1", 0, [Log("a"), Log("b")])).ShouldBe(2);
        // The answer was lost: the worker sends the same batch, and one more event with it.
        (await store.AppendWorkerEventsAsync(build.Id, "w1", 0, [Log("a"), Log("b"), Log("c")])).ShouldBe(3);
        (await store.AppendWorkerEventsAsync(build.Id, "w1", 3, [])).ShouldBe(3);
        (await store.AppendWorkerEventsAsync(build.Id, "w1", 1, [Log("b")])).ShouldBe(3);
        (await store.ReadEventsAsync(build.Id)).Select(e => (e.Seq, e.Text)).ShouldBe([(1L, "a\n"), (2L, "b\n"), (3L, "c\n")]);
        await Should.ThrowAsync<StoreException>(() => store.AppendWorkerEventsAsync(build.Id, "w1", 5, [Log("f")]));
        (await store.AppendWorkerEventsAsync(build.Id, "w2", 3, [Log("x")])).ShouldBeNull();
        (await store.GetWorkerEventCountAsync(build.Id, "w1")).ShouldBe(3);
        (await store.GetWorkerEventCountAsync(build.Id, "w2")).ShouldBeNull();
        await store.FinishBuildAsync(build.Id, BuildStatus.Succeeded);
        (await store.AppendWorkerEventsAsync(build.Id, "w1", 3, [Log("late")])).ShouldBeNull();
    }

    [StoreFact]
    public async Task WorkerTokens_AuthenticateOnlyAsTheirWorker_AreListedWithTheirKind_AndRevocable()
    {
        var store = await OpenFreshAsync();
        await store.UpsertUserAsync("alice", owner: true, []);
        var user = await store.CreateApiTokenAsync("alice", "laptop");
        var worker = await store.CreateWorkerTokenAsync("w1", "alice", "rack 3");

        worker.Worker.ShouldBe("w1");
        (await store.AuthenticateWorkerTokenAsync(worker.Token)).ShouldBe("w1");
        (await store.AuthenticateTokenAsync(worker.Token)).ShouldBeNull();
        (await store.AuthenticateWorkerTokenAsync(user.Token)).ShouldBeNull();
        (await store.AuthenticateTokenAsync(user.Token))!.Name.ShouldBe("alice");
        var tokens = await store.ListApiTokensAsync();
        tokens.Select(t => (t.Id, t.Kind, t.User, t.Worker, t.Label)).ShouldBe([(user.Id, "user", "alice", null, "laptop"), (worker.Id, "worker", "", "w1", "rack 3")]);
        tokens[1].CreatedBy.ShouldBe("alice");
        (await store.ListApiTokensAsync("alice")).Select(t => t.Id).ShouldBe([user.Id]);
        (await store.GetApiTokenAsync(worker.Id))!.Worker.ShouldBe("w1");
        (await store.RevokeApiTokenAsync(worker.Id)).ShouldBeTrue();
        (await store.AuthenticateWorkerTokenAsync(worker.Token)).ShouldBeNull();
    }
}
