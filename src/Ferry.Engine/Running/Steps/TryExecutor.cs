namespace Ferry.Engine.Running.Steps;

/// <summary>Succeeds whether its step fails or errors; an abort still aborts.</summary>
internal sealed class TryExecutor(IStep step) : IStep
{
    public async Task<StepOutcome> RunAsync(StepContext context, CancellationToken cancellation)
    {
        var outcome = await step.RunAsync(context, cancellation);
        return outcome == StepOutcome.Aborted && cancellation.IsCancellationRequested ? StepOutcome.Aborted : StepOutcome.Succeeded;
    }
}
