using Ferry.Core.Builds;

namespace Ferry.Storage.Tests.Contract;

public abstract partial class StoreContract<TTarget>
{
    [StoreFact]
    public async Task ListVersionUses_ReturnsTheBuildsThatGotOrPutEachVersion_NewestFirstUpToTheLimit()
    {
        var pipeline = await NewPipelineAsync(Store, ["app"], ["unit", "deploy"]);
        var app = pipeline.Resources["app"];
        var (a, b) = await Store.SaveVersionsAsync(app, [V("a"), V("b")]) switch { var v => (v[0], v[1]) };
        var unit1 = await Store.CreateBuildAsync(JobBuild(pipeline, "unit", [new("app", app, a.Id, true)]));
        var unit2 = await Store.CreateBuildAsync(JobBuild(pipeline, "unit", [new("app", app, a.Id, false)]));
        var unit3 = await Store.CreateBuildAsync(JobBuild(pipeline, "unit", [new("app", app, a.Id, false)]));
        var deploy = await Store.CreateBuildAsync(JobBuild(pipeline, "deploy", [new("app", app, a.Id, true)]));
        await Store.FinishBuildAsync(deploy.Id, BuildStatus.Errored);
        var pushed = await Store.SaveBuildOutputAsync(deploy.Id, app, V("pushed"));

        var uses = await Store.ListVersionUsesAsync([a.Id, b.Id, pushed.Id], perVersion: 3);

        uses.Where(u => u.VersionId == a.Id).Select(u => (u.BuildId, u.Output, u.JobName)).ShouldBe(
            [(deploy.Id, false, "deploy"), (unit3.Id, false, "unit"), (unit2.Id, false, "unit")]);
        uses.Where(u => u.VersionId == b.Id).ShouldBeEmpty();
        var put = uses.Where(u => u.VersionId == pushed.Id).ShouldHaveSingleItem();
        put.ShouldBe(new VersionUse(pushed.Id, true, deploy.Id, "deploy", deploy.Name, BuildStatus.Errored, deploy.CreatedAt));
        unit1.Id.ShouldBeLessThan(unit2.Id);
        (await Store.ListVersionUsesAsync([], perVersion: 3)).ShouldBeEmpty();
    }
}
