using Ferry.Core.Promotion;
using Ferry.Storage;

namespace Ferry.Tests.Shared;

/// <summary>
/// For tests whose server runs no promoter loop: what the promoter does once a promotion's build deployed and
/// verified, through the same environment aggregate (a real build row, start, verify, succeed). Compiled into the
/// test projects that need it (tests/Directory.Build.props).
/// </summary>
internal static class PromotionBuildsDone
{
    public static async Task SucceedAsync(IStore store, long promotionId)
    {
        var promotion = await store.GetPromotionAsync(promotionId) ?? throw new ArgumentException($"no promotion {promotionId}");
        var build = await store.CreateBuildAsync(new NewBuild(promotion.PipelineId, null, "{}", [], []));
        // No runner here: the build row only stands for the real one, and must not wait in the queue of a shared store.
        await store.FinishBuildAsync(build.Id, Ferry.Core.Builds.BuildStatus.Aborted, "stands for a promotion build in a test");
        await store.ChangeEnvironmentAsync(new EnvironmentLoad(promotion.EnvironmentId, new EnvironmentPolicy(promotion.Environment, Auto: false)), e =>
        {
            e.Start(promotionId, build.Id);
            e.Verify(promotionId);
            return e.Finish(promotionId, PromotionStatus.Succeeded, null, DateTimeOffset.UtcNow);
        });
    }
}
