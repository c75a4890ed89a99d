using Ferry.Core.Builds;
using Ferry.Core.Promotion;

namespace Ferry.Engine.Running.Steps;

/// <summary>A promotion's build: fetch the release, deploy it, then (saying so in a <see cref="BuildEventType.Phase"/> event) verify it.</summary>
internal sealed class PromotionExecutor(IStep fetch, IStep deploy, IStep? verify) : IStep
{
    public async Task<StepOutcome> RunAsync(StepContext context, CancellationToken cancellation)
    {
        foreach (var step in new[] { fetch, deploy })
        {
            var outcome = await step.RunAsync(context, cancellation);
            if (outcome != StepOutcome.Succeeded)
            {
                return outcome;
            }
        }
        if (cancellation.IsCancellationRequested)
        {
            return StepOutcome.Aborted;
        }
        // The promoter moves the promotion to verifying when it reads this from the store.
        await context.Build.Events.WriteAsync(BuildEventType.Phase, text: PromotionPhases.Verify);
        return verify is null ? StepOutcome.Succeeded : await verify.RunAsync(context, cancellation);
    }
}
