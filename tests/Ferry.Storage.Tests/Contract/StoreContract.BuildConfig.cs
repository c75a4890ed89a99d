namespace Ferry.Storage.Tests.Contract;

public abstract partial class StoreContract<TTarget>
{
    [StoreFact]
    public async Task CreateBuild_KeepsTheConfigVersionItWasPlannedWith_WhenGiven()
    {
        var pipeline = await NewPipelineAsync(Store, [], ["unit"]);

        var planned = await Store.CreateBuildAsync(JobBuild(pipeline, "unit") with { ConfigNumber = 7 });
        var unplanned = await Store.CreateBuildAsync(JobBuild(pipeline, "unit"));

        (await Store.GetBuildConfigNumberAsync(planned.Id)).ShouldBe(7);
        (await Store.GetBuildConfigNumberAsync(unplanned.Id)).ShouldBeNull();
        (await Store.GetBuildConfigNumberAsync(long.MaxValue)).ShouldBeNull();
    }
}
