using Ferry.Core.Builds;
using Ferry.Core.Resolving;

namespace Ferry.Storage.Tests.Contract;

public abstract partial class StoreContract<TTarget>
{
    [StoreFact]
    public async Task GetResolverRows_ReturnsWhatTheResolverReads_ForOnePipeline()
    {
        var store = await OpenFreshAsync();
        var pipeline = await NewPipelineAsync(store, ["app", "lib"], ["unit", "deploy"]);
        var (app, lib) = (pipeline.Resources["app"], pipeline.Resources["lib"]);
        var (unit, deploy) = (pipeline.Jobs["unit"], pipeline.Jobs["deploy"]);
        var appVersions = await store.SaveVersionsAsync(app, [V("a1"), V("a2")]);
        var libVersions = await store.SaveVersionsAsync(lib, [V("l1")]);
        await store.SetVersionDisabledAsync(appVersions[0].Id, true);
        var unitBuild = await store.CreateBuildAsync(JobBuild(pipeline, "unit", [new("app", app, appVersions[1].Id, true)]));
        await store.ClaimNextBuildAsync("node");
        await store.SaveBuildOutputAsync(unitBuild.Id, lib, libVersions[0].Version);
        await store.FinishBuildAsync(unitBuild.Id, BuildStatus.Succeeded);
        var rerun = await store.CreateBuildAsync(JobBuild(pipeline, "unit", [new("app", app, appVersions[1].Id, false)], rerunOf: unitBuild.Id));
        var deployBuild = await store.CreateBuildAsync(JobBuild(pipeline, "deploy", [new("app", app, appVersions[1].Id, true)], [unitBuild.Id]));
        var elsewhere = await NewPipelineAsync(store, ["app"], ["unit"]);
        await store.SaveVersionsAsync(elsewhere.Resources["app"], [V("other")]);

        var rows = await store.GetResolverRowsAsync(pipeline.Id);

        rows.Resources.ShouldBe([new SnapshotResource(app, "app"), new SnapshotResource(lib, "lib")]);
        rows.Jobs.ShouldBe([new SnapshotJob(unit, "unit"), new SnapshotJob(deploy, "deploy")]);
        rows.Versions.ShouldBe([
            new SnapshotVersion(app, appVersions[0].Id, 1, true),
            new SnapshotVersion(app, appVersions[1].Id, 2),
            new SnapshotVersion(lib, libVersions[0].Id, 1)]);
        rows.Builds.ShouldBe([
            new SnapshotBuild(unitBuild.Id, unit, true),
            new SnapshotBuild(rerun.Id, unit, false, unitBuild.Id),
            new SnapshotBuild(deployBuild.Id, deploy, false)]);
        rows.Outputs.ShouldBe([new SnapshotBuildOutput(unitBuild.Id, lib, libVersions[0].Id)]);
        rows.Inputs.ShouldBe([
            new SnapshotBuildInput(unitBuild.Id, "app", app, appVersions[1].Id),
            new SnapshotBuildInput(rerun.Id, "app", app, appVersions[1].Id),
            new SnapshotBuildInput(deployBuild.Id, "app", app, appVersions[1].Id)]);
        rows.Pipes.ShouldBe([new SnapshotBuildPipe(unitBuild.Id, deployBuild.Id)]);
    }
}
