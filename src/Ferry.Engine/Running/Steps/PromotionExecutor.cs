namespace Ferry.Engine.Running.Steps;

/// <summary>A promotion's build: fetch the release, deploy it, then (telling the promotion it is verifying) verify it.</summary>
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
        if (context.Build.Request.VerifyStarting is { } starting)
        {
            await starting(cancellation);
        }
        return verify is null ? StepOutcome.Succeeded : await verify.RunAsync(context, cancellation);
    }
}
