using Ferry.Core.Plans;
using Ferry.Engine.Running.Steps;

namespace Ferry.Engine.Running;

/// <summary>Turns a plan tree into the tree of steps that runs it.</summary>
internal static class StepFactory
{
    public static IStep Create(PlanNode plan) => plan switch
    {
        GetPlan get => new ObservedStep(get, new GetStep(get)),
        PutPlan put => new ObservedStep(put, new PutStep(put)),
        TaskPlan task => new ObservedStep(task, new TaskStep(task)),
        LoadVarPlan load => new ObservedStep(load, new LoadVarStep(load)),
        SetPipelinePlan set => new ObservedStep(set, new SetPipelineStep(set)),
        DoPlan d => new DoStep([.. d.Steps.Select(Create)]),
        InParallelPlan p => new InParallelStep([.. p.Steps.Select(Create)], p.Limit, p.FailFast),
        TryPlan t => new TryStep(Create(t.Step)),
        AcrossPlan a => new AcrossStep(a, Create(a.Step)),
        TimeoutPlan t => new TimeoutStep(t, Create(t.Step)),
        RetryPlan r => new RetryStep(r.Attempts, Create(r.Step)),
        PromotionPlan p => new PromotionStep(Create(p.Fetch), Create(p.Deploy), p.Verify is null ? null : Create(p.Verify)),
        TeardownPlan t => Create(t.Step),
        HookPlan h => new HookStep(h, Create(h.Step), Create(h.Hook)),
        _ => throw new InvalidOperationException($"plan node {plan.Id}: unknown kind {plan.GetType().Name}"),
    };
}
