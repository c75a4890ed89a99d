using Ferry.Core.Builds;

namespace Ferry.Storage.Tests.Contract;

public abstract partial class StoreContract<TTarget>
{
    [StoreFact]
    public async Task CreateBuild_NamesBuildsPerJobAndReruns_WithInputsAndPipes()
    {
        var pipeline = await NewPipelineAsync(Store, ["app"], ["unit", "deploy"]);
        var app = pipeline.Resources["app"];
        var version = (await Store.SaveVersionsAsync(app, [V("a")]))[0];

        var unit1 = await Store.CreateBuildAsync(JobBuild(pipeline, "unit", [new("app", app, version.Id, true)]));
        var unit2 = await Store.CreateBuildAsync(JobBuild(pipeline, "unit", [new("app", app, version.Id, false)]));
        var deploy1 = await Store.CreateBuildAsync(JobBuild(pipeline, "deploy", [new("app", app, version.Id, true)], [unit1.Id]));
        var rerun1 = await Store.CreateBuildAsync(JobBuild(pipeline, "unit", [new("app", app, version.Id, false)], rerunOf: unit2.Id));
        var rerun2 = await Store.CreateBuildAsync(JobBuild(pipeline, "unit", [], rerunOf: unit2.Id));

        unit1.Name.ShouldBe("1");
        unit2.Name.ShouldBe("2");
        deploy1.Name.ShouldBe("1");
        rerun1.Name.ShouldBe("2.1");
        rerun2.Name.ShouldBe("2.2");
        rerun1.RerunOf.ShouldBe(unit2.Id);
        unit2.Id.ShouldBeGreaterThan(unit1.Id);
        unit1.Status.ShouldBe(BuildStatus.Pending);
        unit1.PipelineName.ShouldBe(pipeline.Name);
        unit1.JobName.ShouldBe("unit");
        unit1.CreatedBy.ShouldBe("scheduler");
        unit1.PlanJson.ShouldBe("""{"do":[]}""");
        var inputs = await Store.GetBuildInputsAsync(unit1.Id);
        inputs.ShouldHaveSingleItem().ShouldBe(new BuildInputRecord(unit1.Id, "app", app, "app", version.Id, V("a"), true));
        (await Store.GetJobBuildAsync(pipeline.Jobs["unit"], "2.1"))!.Id.ShouldBe(rerun1.Id);
        (await Store.GetJobAsync(pipeline.Id, "unit"))!.BuildCount.ShouldBe(2);

        var rows = await Store.GetResolverRowsAsync(pipeline.Id);
        rows.Pipes.ShouldHaveSingleItem().ShouldBe(new Core.Resolving.SnapshotBuildPipe(unit1.Id, deploy1.Id));
    }

    [StoreFact]
    public async Task CreateBuild_WritesNothing_WhenAnInputIsInvalid()
    {
        var pipeline = await NewPipelineAsync(Store, ["app"], ["unit"]);

        await Should.ThrowAsync<Exception>(() => Store.CreateBuildAsync(JobBuild(pipeline, "unit", [new("app", pipeline.Resources["app"], long.MaxValue, true)])));

        (await Store.ListBuildsAsync(new(JobId: pipeline.Jobs["unit"]))).ShouldBeEmpty();
        (await Store.GetJobAsync(pipeline.Id, "unit"))!.BuildCount.ShouldBe(0);
    }

    [StoreFact]
    public async Task ClaimNextBuild_StartsOldestPendingBuild_OnceOnly()
    {
        var store = await OpenFreshAsync();
        var pipeline = await NewPipelineAsync(store, [], ["unit"]);
        var first = await store.CreateBuildAsync(JobBuild(pipeline, "unit"));
        var second = await store.CreateBuildAsync(JobBuild(pipeline, "unit"));

        var claimed = (await store.ClaimNextBuildAsync("node-a"))!;
        claimed.Id.ShouldBe(first.Id);
        claimed.Status.ShouldBe(BuildStatus.Started);
        claimed.ClaimedBy.ShouldBe("node-a");
        claimed.StartedAt.ShouldNotBeNull();
        (await store.ClaimNextBuildAsync("node-b"))!.Id.ShouldBe(second.Id);
        (await store.ClaimNextBuildAsync("node-c")).ShouldBeNull();
    }

    [StoreFact]
    public async Task ClaimNextBuild_NeverGivesOneBuildTwice_WhenClaimersRace()
    {
        var database = await Target.CreateDatabaseAsync();
        var store = await OpenAsync(database);
        var other = await OpenAsync(database);
        var pipeline = await NewPipelineAsync(store, [], ["unit"]);
        var created = new List<long>();
        for (var i = 0; i < 40; i++)
        {
            created.Add((await store.CreateBuildAsync(JobBuild(pipeline, "unit"))).Id);
        }

        var claimers = Enumerable.Range(0, 8).Select(n => Task.Run(async () =>
        {
            var mine = new List<long>();
            var from = n % 2 == 0 ? store : other;
            while (await from.ClaimNextBuildAsync($"claimer-{n}") is { } build)
            {
                mine.Add(build.Id);
            }
            return mine;
        }));
        var claimed = (await Task.WhenAll(claimers)).SelectMany(x => x).ToList();

        claimed.Count.ShouldBe(40);
        claimed.Distinct().Count().ShouldBe(40);
        claimed.Order().ShouldBe(created);
    }

    [StoreFact]
    public async Task FinishBuild_RefusesIllegalTransitions_WhenBuildIsFinal()
    {
        var pipeline = await NewPipelineAsync(Store, [], ["unit"]);
        var build = await Store.CreateBuildAsync(JobBuild(pipeline, "unit"));

        await Should.ThrowAsync<InvalidOperationException>(() => Store.FinishBuildAsync(build.Id, BuildStatus.Started));
        var done = await Store.FinishBuildAsync(build.Id, BuildStatus.Errored, "plan could not be loaded");

        done.Status.ShouldBe(BuildStatus.Errored);
        done.Reason.ShouldBe("plan could not be loaded");
        done.EndedAt.ShouldNotBeNull();
        var refused = await Should.ThrowAsync<InvalidOperationException>(() => Store.FinishBuildAsync(build.Id, BuildStatus.Succeeded));
        refused.Message.ShouldContain("errored");
        (await Store.GetBuildAsync(build.Id))!.Status.ShouldBe(BuildStatus.Errored);
    }

    [StoreFact]
    public async Task RequestAbort_AbortsPendingAtOnceAndFlagsStarted()
    {
        var store = await OpenFreshAsync();
        var pipeline = await NewPipelineAsync(store, [], ["unit"]);
        var running = await store.CreateBuildAsync(JobBuild(pipeline, "unit"));
        (await store.ClaimNextBuildAsync("node")).ShouldNotBeNull();
        var waiting = await store.CreateBuildAsync(JobBuild(pipeline, "unit"));

        var aborted = (await store.RequestAbortAsync(waiting.Id, "aborted by alice"))!;
        var flagged = (await store.RequestAbortAsync(running.Id, "aborted by alice"))!;

        aborted.Status.ShouldBe(BuildStatus.Aborted);
        aborted.Reason.ShouldBe("aborted by alice");
        flagged.Status.ShouldBe(BuildStatus.Started);
        flagged.AbortRequested.ShouldBeTrue();
        (await store.ClaimNextBuildAsync("node")).ShouldBeNull();
        (await store.FinishBuildAsync(running.Id, BuildStatus.Aborted)).Status.ShouldBe(BuildStatus.Aborted);
        (await store.RequestAbortAsync(long.MaxValue)).ShouldBeNull();
    }

    [StoreFact]
    public async Task EndLostNodes_ErrorsTheBuildsOfEveryOtherNode_WhenTheTimeoutIsZero()
    {
        var database = await Target.CreateDatabaseAsync();
        var before = await OpenAsync(database);
        await before.RegisterNodeAsync("host-1111", "host");
        var pipeline = await NewPipelineAsync(before, [], ["unit"]);
        var running = await before.CreateBuildAsync(JobBuild(pipeline, "unit"));
        await before.ClaimNextBuildAsync("host-1111");
        await before.AppendEventsAsync(running.Id, [new(0, 0, DateTimeOffset.UtcNow, BuildEventType.Log, "task", LogStream.Stdout, "working\n")]);
        var waiting = await before.CreateBuildAsync(JobBuild(pipeline, "unit"));
        var finished = await before.CreateBuildAsync(JobBuild(pipeline, "unit"));
        await before.FinishBuildAsync(finished.Id, BuildStatus.Aborted);
        await before.DisposeAsync();

        var after = await OpenAsync(database);
        await after.RegisterNodeAsync("host-2222", "host");
        var sweep = await after.EndLostNodesAsync(TimeSpan.Zero, except: "host-2222");

        sweep.Lost.Select(n => n.Id).ShouldBe(["host-1111"]);
        sweep.ErroredBuilds.ShouldBe([running.Id]);
        var recovered = (await after.GetBuildAsync(running.Id))!;
        recovered.Status.ShouldBe(BuildStatus.Errored);
        recovered.Reason!.ShouldStartWith("the server node host (host-1111) running this build stopped answering");
        var events = await after.ReadEventsAsync(running.Id);
        events.Select(e => e.Type).ShouldBe([BuildEventType.Log, BuildEventType.Error, BuildEventType.Status]);
        events[1].Text.ShouldBe(recovered.Reason);
        events[2].Text.ShouldBe("errored");
        (await after.GetBuildAsync(waiting.Id))!.Status.ShouldBe(BuildStatus.Pending);
        (await after.GetBuildAsync(finished.Id))!.Status.ShouldBe(BuildStatus.Aborted);
        (await after.ClaimNextBuildAsync("host-2222"))!.Id.ShouldBe(waiting.Id);
        var nodes = await after.ListNodesAsync();
        nodes.Select(n => (n.Id, n.Live)).ShouldBe([("host-2222", true), ("host-1111", false)]);
        nodes[1].StopReason.ShouldBe("its heartbeat stopped");
    }

    [StoreFact]
    public async Task EndLostNodes_LeavesLiveNodesBuilds_AndEndsAStoppedNodesOnes()
    {
        var clock = new SettableClock(DateTimeOffset.UtcNow);
        var store = await OpenFreshAsync(clock);
        var pipeline = await NewPipelineAsync(store, [], ["unit"]);
        await store.RegisterNodeAsync("a", "alpha");
        await store.RegisterNodeAsync("b", "beta");
        await store.RegisterNodeAsync("c", "gamma");
        var onA = await store.CreateBuildAsync(JobBuild(pipeline, "unit"));
        await store.ClaimNextBuildAsync("a");
        var onB = await store.CreateBuildAsync(JobBuild(pipeline, "unit"));
        await store.ClaimNextBuildAsync("b");
        var onC = await store.CreateBuildAsync(JobBuild(pipeline, "unit"));
        await store.ClaimNextBuildAsync("c");

        clock.Advance(TimeSpan.FromSeconds(15));
        (await store.HeartbeatNodeAsync("a")).ShouldBeTrue();
        await store.StopNodeAsync("c", "stopped by its operator");
        var sweep = await store.EndLostNodesAsync(TimeSpan.FromSeconds(10), except: "a");

        sweep.Lost.Select(n => n.Id).ShouldBe(["b"]);
        sweep.ErroredBuilds.Order().ShouldBe(new[] { onB.Id, onC.Id }.Order());
        (await store.GetBuildAsync(onA.Id))!.Status.ShouldBe(BuildStatus.Started);
        (await store.GetBuildAsync(onC.Id))!.Reason.ShouldBe("the server node c stopped while the build was running");
        (await store.HeartbeatNodeAsync("b")).ShouldBeFalse();
        (await store.EndLostNodesAsync(TimeSpan.FromSeconds(10), except: "a")).ErroredBuilds.ShouldBeEmpty();

        await store.RegisterNodeAsync("b", "beta");
        (await store.HeartbeatNodeAsync("b")).ShouldBeTrue();
    }

    [StoreFact]
    public async Task GetInFlight_CountsPendingAndStartedPerJob()
    {
        var store = await OpenFreshAsync();
        var pipeline = await NewPipelineAsync(store, [], ["unit", "deploy"]);
        await store.CreateBuildAsync(JobBuild(pipeline, "unit"));
        await store.CreateBuildAsync(JobBuild(pipeline, "unit"));
        await store.CreateBuildAsync(JobBuild(pipeline, "unit"));
        var done = await store.CreateBuildAsync(JobBuild(pipeline, "deploy"));
        await store.ClaimNextBuildAsync("node");
        await store.FinishBuildAsync(done.Id, BuildStatus.Aborted);

        var inFlight = await store.GetInFlightAsync(pipeline.Id);

        inFlight.ShouldBe([new JobInFlight(pipeline.Jobs["unit"], 2, 1)]);
    }

    [StoreFact]
    public async Task ListBuilds_ReturnsNewestFirstWithPaging_FilteredByJob()
    {
        var pipeline = await NewPipelineAsync(Store, [], ["unit", "deploy"]);
        var unit = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            unit.Add((await Store.CreateBuildAsync(JobBuild(pipeline, "unit"))).Id);
            await Store.CreateBuildAsync(JobBuild(pipeline, "deploy"));
        }

        var page = await Store.ListBuildsAsync(new(JobId: pipeline.Jobs["unit"], Limit: 2));
        var rest = await Store.ListBuildsAsync(new(JobId: pipeline.Jobs["unit"], BeforeId: page[^1].Id, Limit: 2));

        page.Select(b => b.Id).ShouldBe([unit[2], unit[1]]);
        rest.Select(b => b.Id).ShouldBe([unit[0]]);
        (await Store.ListBuildsAsync(new(PipelineId: pipeline.Id))).Count.ShouldBe(6);
    }

    [StoreFact]
    public async Task SaveBuildOutput_SavesNewestVersionAndRecordsOutput()
    {
        var pipeline = await NewPipelineAsync(Store, ["app"], ["unit"]);
        var app = pipeline.Resources["app"];
        await Store.SaveVersionsAsync(app, [V("a")]);
        var build = await Store.CreateBuildAsync(JobBuild(pipeline, "unit"));

        var output = await Store.SaveBuildOutputAsync(build.Id, app, V("pushed"));

        output.CheckOrder.ShouldBe(2);
        (await Store.GetLatestVersionAsync(app))!.Id.ShouldBe(output.Id);
        (await Store.GetBuildOutputsAsync(build.Id)).ShouldHaveSingleItem().VersionId.ShouldBe(output.Id);
    }
}
