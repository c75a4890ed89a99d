namespace Ferry.Engine.Running.Steps;

/// <summary>The <c>attempts:</c> modifier: runs the step again after a failure or error, never after an abort.</summary>
internal sealed class RetryExecutor(int attempts, IStep step) : IStep
{
    public async Task<StepOutcome> RunAsync(StepContext context, CancellationToken cancellation)
    {
        var outcome = StepOutcome.Errored;
        for (var attempt = 1; attempt <= Math.Max(1, attempts); attempt++)
        {
            outcome = await step.RunAsync(context, cancellation);
            if (outcome is StepOutcome.Succeeded or StepOutcome.Aborted || cancellation.IsCancellationRequested)
            {
                break;
            }
        }
        return outcome;
    }
}
