namespace Ferry.Engine.Running.Steps;

/// <summary>Runs steps one after another, stopping at the first that does not succeed.</summary>
internal sealed class DoExecutor(IReadOnlyList<IStep> steps) : IStep
{
    public async Task<StepOutcome> RunAsync(StepContext context, CancellationToken cancellation)
    {
        foreach (var step in steps)
        {
            if (cancellation.IsCancellationRequested)
            {
                return StepOutcome.Aborted;
            }
            var outcome = await step.RunAsync(context, cancellation);
            if (outcome != StepOutcome.Succeeded)
            {
                return outcome;
            }
        }
        return StepOutcome.Succeeded;
    }
}
