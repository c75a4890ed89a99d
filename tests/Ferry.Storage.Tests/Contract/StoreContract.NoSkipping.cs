using FsCheck;
using FsCheck.Fluent;
using Ferry.Core.Promotion;

namespace Ferry.Storage.Tests.Contract;

public abstract partial class StoreContract<TTarget>
{
    private enum StoreOp { NewRelease, Manual, Auto, Rollback, Succeed, Fail }

    private sealed record StoreStep(StoreOp Op, int Environment, int Release);

    /// <summary>
    /// Whatever the API is asked, in any order (promote any release anywhere, roll back to anything, succeed or fail
    /// what is open), the store never makes a release current in production that is not verified in staging.
    /// </summary>
    [StoreFact]
    public async Task RandomRequests_NeverMakeUnverifiedReleaseCurrentInProduction()
    {
        var steps = from op in Gen.Elements(Enum.GetValues<StoreOp>())
                    from environment in Gen.Choose(0, 2)
                    from release in Gen.Choose(1, 6)
                    select new StoreStep(op, environment, release);
        var sequences = from count in Gen.Choose(5, 25) from list in steps.ListOf(count) select list;
        await Task.Run(() => Prop.ForAll(sequences.ToArbitrary(), list => RunAgainstStoreAsync(list).GetAwaiter().GetResult())
            .Check(FsCheck.Config.QuickThrowOnFailure.WithMaxTest(12)));
    }

    private async Task<bool> RunAgainstStoreAsync(IEnumerable<StoreStep> steps)
    {
        var setup = await NewChainAsync();
        var pipeline = setup.Pipeline;
        var releases = 0;
        foreach (var step in steps)
        {
            var environment = Chain[step.Environment].Name;
            try
            {
                switch (step.Op)
                {
                    case StoreOp.NewRelease:
                        releases = (await ReleaseAsync(pipeline, $"a{releases + 1}")).Release.Number;
                        break;
                    case StoreOp.Manual or StoreOp.Auto or StoreOp.Rollback when releases > 0:
                        var trigger = step.Op switch { StoreOp.Manual => PromotionTrigger.Manual, StoreOp.Auto => PromotionTrigger.Auto, _ => PromotionTrigger.Rollback };
                        var created = await RequestAsync(setup, environment, 1 + (step.Release - 1) % releases, trigger, "api");
                        await StartAsync(setup, environment, created.Id);
                        break;
                    case StoreOp.Succeed or StoreOp.Fail:
                        var open = (await Store.ListPromotionsAsync(pipeline.Id, environment)).FirstOrDefault(p => p.Status == PromotionStatus.Deploying);
                        if (open is not null)
                        {
                            await FinishAsync(setup, environment, open.Id, step.Op == StoreOp.Succeed ? PromotionStatus.Succeeded : PromotionStatus.Failed);
                        }
                        break;
                }
            }
            catch (PromotionRefusedException)
            {
                // Refused requests are part of the game; what matters is what the store let through.
            }
            if (await Store.GetEnvironmentAsync(pipeline.Id, "production") is { CurrentRelease: { } current }
                && !(await Store.GetReleaseAsync(pipeline.Id, current))!.VerifiedIn.Contains("staging"))
            {
                return false;
            }
        }
        return true;
    }
}
