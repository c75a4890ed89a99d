using Ferry.Core.Plans;

namespace Ferry.Engine.Running.Steps;

/// <summary>Interrupts its step after a duration; the step then counts as failed (as in Concourse), not aborted.</summary>
internal sealed class TimeoutExecutor(TimeoutPlan plan, IStep step) : IStep
{
    public async Task<StepOutcome> RunAsync(StepContext context, CancellationToken cancellation)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        timeout.CancelAfter(plan.Duration);
        var outcome = await step.RunAsync(context, timeout.Token);
        if (outcome == StepOutcome.Aborted && timeout.IsCancellationRequested && !cancellation.IsCancellationRequested)
        {
            await context.Build.Events.ErrorAsync(plan.Id, $"timeout exceeded ({plan.Duration})");
            return StepOutcome.Failed;
        }
        return outcome;
    }
}
