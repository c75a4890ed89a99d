using Ferry.Core.Promotion;
using Ferry.Storage.Events;

namespace Ferry.Storage.Tests.Contract;

// What the dashboard reads in one go, and the change notices live pages follow.
public abstract partial class StoreContract<TTarget>
{
    [StoreFact]
    public async Task ListEnvironmentsOfPipelines_GroupsByPipeline_InGraphOrder_WithCurrentReleaseAndStatus()
    {
        var first = await NewChainAsync();
        var second = await NewPipelineAsync(Store, ["app"], []);
        await Store.SyncEnvironmentsAsync(second.Id, [new EnvironmentNode("qa", ["dev"]), new EnvironmentNode("dev", [])]);
        var bare = await NewPipelineAsync(Store, ["app"], []);
        var r1 = (await ReleaseAsync(first.Pipeline, "a1")).Release;
        await PromoteThroughAsync(first, "development", r1.Number);
        await RequestAsync(first, "staging", r1.Number);

        var listed = await Store.ListEnvironmentsAsync([first.Pipeline.Id, second.Id, bare.Id]);

        listed.Keys.ShouldBe([first.Pipeline.Id, second.Id], ignoreOrder: true, "a pipeline without environments is absent");
        listed[first.Pipeline.Id].Select(e => e.Name).ShouldBe(["development", "staging", "production"]);
        listed[second.Id].Select(e => e.Name).ShouldBe(["dev", "qa"], "upstream first, whatever the order they were synced in");
        var development = listed[first.Pipeline.Id][0];
        development.CurrentRelease.ShouldBe(r1.Number);
        development.LastPromotionStatus.ShouldBe(PromotionStatus.Succeeded);
        listed[first.Pipeline.Id][1].PromotionOpen.ShouldBeTrue();
        listed[first.Pipeline.Id].Select(e => (e.Id, e.CurrentRelease, e.LastPromotionId, e.PromotionOpen))
            .ShouldBe((await Store.ListEnvironmentsAsync(first.Pipeline.Id)).Select(e => (e.Id, e.CurrentRelease, e.LastPromotionId, e.PromotionOpen)),
                "the same records as one pipeline's list");
        (await Store.ListEnvironmentsAsync([])).ShouldBeEmpty();
    }

    [StoreFact]
    public async Task Changes_TellWhichPipelineChanged_WhenABuildOrAPromotionIsWritten()
    {
        var setup = await NewChainAsync();
        var other = await NewPipelineAsync(Store, ["app"], ["unit"]);
        var r1 = (await ReleaseAsync(setup.Pipeline, "a1")).Release;
        var seen = new System.Collections.Concurrent.ConcurrentQueue<PipelineChange>();
        using (Store.Changes.Subscribe(seen.Enqueue))
        {
            var build = await Store.CreateBuildAsync(new NewBuild(other.Id, other.Jobs["unit"], "{}", [], []));
            seen.ShouldContain(new PipelineChange(other.Id, PipelineChangeKind.Build));
            (await Store.RequestAbortAsync(build.Id, "not needed"))!.Status.ShouldBe(Core.Builds.BuildStatus.Aborted);
            seen.Count(c => c == new PipelineChange(other.Id, PipelineChangeKind.Build)).ShouldBe(2);

            await RequestAsync(setup, "development", r1.Number);
            seen.ShouldContain(new PipelineChange(setup.Pipeline.Id, PipelineChangeKind.Promotion));
            seen.ShouldNotContain(c => c.PipelineId == setup.Pipeline.Id && c.Kind == PipelineChangeKind.Build);

            (await Store.SetPipelinePausedAsync(other.Name, true)).ShouldBeTrue();
            seen.ShouldContain(new PipelineChange(other.Id, PipelineChangeKind.Pipeline));
            (await Store.SetPipelinePausedAsync("no-such-pipeline", true)).ShouldBeFalse();
        }
        var before = seen.Count;
        await Store.CreateBuildAsync(new NewBuild(other.Id, other.Jobs["unit"], "{}", [], []));
        seen.Count.ShouldBe(before, "a disposed subscription hears nothing");
    }

    [StoreFact]
    public async Task ListJobLatest_GivesEachJobItsNewestFinishedAndRunningBuild_ForThePipelinesAsked()
    {
        var first = await NewPipelineAsync(Store, ["app"], ["unit", "deploy"]);
        var second = await NewPipelineAsync(Store, ["app"], ["lint"]);
        var unasked = await NewPipelineAsync(Store, ["app"], ["other"]);
        Task<BuildRecord> NewAsync(TestPipeline p, string job) => Store.CreateBuildAsync(new NewBuild(p.Id, p.Jobs[job], "{}", [], []));
        var errored = await NewAsync(first, "unit");
        await Store.FinishBuildAsync(errored.Id, Core.Builds.BuildStatus.Errored, "no worker");
        var aborted = await NewAsync(first, "unit");
        await Store.RequestAbortAsync(aborted.Id, "not needed");
        var pending = await NewAsync(first, "unit");
        var lint = await NewAsync(second, "lint");
        await Store.FinishBuildAsync(lint.Id, Core.Builds.BuildStatus.Errored, "no worker");
        var other = await NewAsync(unasked, "other");
        try
        {
            var latest = await Store.ListJobLatestAsync([first.Id, second.Id]);

            latest.Select(l => (l.Job.Name, l.Finished?.Id, l.Running?.Id)).ShouldBe(
            [
                ("unit", aborted.Id, pending.Id),
                ("deploy", null, null),
                ("lint", lint.Id, null),
            ], ignoreOrder: true);
            latest.Select(l => l.Job.PipelineId).ShouldBe([first.Id, first.Id, second.Id], "by pipeline");
            latest.Single(l => l.Job.Name == "unit").Finished!.Status.ShouldBe(Core.Builds.BuildStatus.Aborted);
            (await Store.ListJobLatestAsync([])).ShouldBeEmpty();
        }
        finally
        {
            // Pending builds must not wait in the queue of a store other tests share.
            await Store.RequestAbortAsync(pending.Id, "test over");
            await Store.RequestAbortAsync(other.Id, "test over");
        }
    }
}
