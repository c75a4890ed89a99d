using Ferry.Core.Plans;
using Ferry.Engine.Running.Steps;

namespace Ferry.Engine.Running;

/// <summary>Turns a plan tree into the tree of executors that runs it (one per plan node: a config <c>task</c> step runs as a <see cref="Steps.TaskExecutor"/>).</summary>
internal static class StepFactory
{
    public static IStep Create(PlanNode plan) => plan switch
    {
        GetPlan get => new ObservedExecutor(get, new GetExecutor(get)),
        PutPlan put => new ObservedExecutor(put, new PutExecutor(put)),
        TaskPlan task => new ObservedExecutor(task, new TaskExecutor(task)),
        LoadVarPlan load => new ObservedExecutor(load, new LoadVarExecutor(load)),
        SetPipelinePlan set => new ObservedExecutor(set, new SetPipelineExecutor(set)),
        DoPlan d => new DoExecutor([.. d.Steps.Select(Create)]),
        InParallelPlan p => new InParallelExecutor([.. p.Steps.Select(Create)], p.Limit, p.FailFast),
        TryPlan t => new TryExecutor(Create(t.Step)),
        AcrossPlan a => new AcrossExecutor(a, Create(a.Step)),
        TimeoutPlan t => new TimeoutExecutor(t, Create(t.Step)),
        RetryPlan r => new RetryExecutor(r.Attempts, Create(r.Step)),
        PromotionPlan p => new PromotionExecutor(Create(p.Fetch), Create(p.Deploy), p.Verify is null ? null : Create(p.Verify)),
        TeardownPlan t => Create(t.Step),
        HookPlan h => new HookExecutor(h, Create(h.Step), Create(h.Hook)),
        _ => throw new InvalidOperationException($"plan node {plan.Id}: unknown kind {plan.GetType().Name}"),
    };
}
