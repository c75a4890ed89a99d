using System.Text.Json.Nodes;
using Ferry.Core.Builds;
using Ferry.Core.Plans;

namespace Ferry.Engine.Running.Steps;

/// <summary>The work of a leaf step (get, put, task, load_var, set_pipeline).</summary>
internal interface ILeafStep
{
    /// <param name="finished">Gets what the step-finished event should carry (exit status, version).</param>
    Task<StepOutcome> RunAsync(StepContext context, StepLog log, JsonObject finished, CancellationToken cancellation);
}

/// <summary>Wraps a leaf step: announces start and end, and turns its errors into an error event and <see cref="StepOutcome.Errored"/>.</summary>
internal sealed class ObservedExecutor(PlanNode plan, ILeafStep leaf) : IStep
{
    public async Task<StepOutcome> RunAsync(StepContext context, CancellationToken cancellation)
    {
        var events = context.Build.Events;
        var (kind, name) = RunningBuild.Describe(plan);
        var what = $"{kind} '{name}'";
        await events.WriteAsync(BuildEventType.StepStarted, plan.Id, payload: new JsonObject { ["kind"] = kind, ["name"] = name });
        var finished = new JsonObject();
        StepOutcome outcome;
        try
        {
            cancellation.ThrowIfCancellationRequested();
            outcome = await leaf.RunAsync(context, context.Build.NewLog(plan.Id), finished, cancellation);
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            outcome = StepOutcome.Aborted;
        }
        catch (StepException e)
        {
            await events.ErrorAsync(plan.Id, e.Message);
            outcome = StepOutcome.Errored;
        }
        catch (Exception e)
        {
            await events.ErrorAsync(plan.Id, $"{what}: {e.Message}");
            outcome = StepOutcome.Errored;
        }
        await events.WriteAsync(BuildEventType.StepFinished, plan.Id, outcome.ToString().ToLowerInvariant(), payload: finished);
        return outcome;
    }
}
