using Ferry.Core.Plans;

namespace Ferry.Engine.Running.Steps;

/// <summary>on_success, on_failure, on_error, on_abort and ensure, with Concourse's results.</summary>
internal sealed class HookExecutor(HookPlan plan, IStep step, IStep hook) : IStep
{
    public async Task<StepOutcome> RunAsync(StepContext context, CancellationToken cancellation)
    {
        var outcome = await step.RunAsync(context, cancellation);
        // After an abort the hook still runs to its end: that is what on_abort and ensure are for.
        var hookCancellation = outcome == StepOutcome.Aborted ? CancellationToken.None : cancellation;
        switch (plan)
        {
            case OnSuccessPlan when outcome == StepOutcome.Succeeded:
                return await hook.RunAsync(context, cancellation);
            case OnFailurePlan when outcome == StepOutcome.Failed:
                return Worse(outcome, await hook.RunAsync(context, cancellation));
            case OnErrorPlan when outcome == StepOutcome.Errored:
                return Worse(outcome, await hook.RunAsync(context, cancellation));
            case OnAbortPlan when outcome == StepOutcome.Aborted:
                await hook.RunAsync(context, hookCancellation);
                return outcome;
            case EnsurePlan:
                var ensured = await hook.RunAsync(context, hookCancellation);
                return outcome == StepOutcome.Succeeded ? ensured : outcome;
            default:
                return outcome;
        }
    }

    /// <summary>A hook can turn a failure into an error or abort, never into a success.</summary>
    private static StepOutcome Worse(StepOutcome step, StepOutcome hook) =>
        hook is StepOutcome.Errored or StepOutcome.Aborted && step == StepOutcome.Failed ? hook : step;
}
