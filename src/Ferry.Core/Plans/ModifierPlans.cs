using System.Text.Json.Serialization;

namespace Ferry.Core.Plans;

public sealed record TimeoutPlan : PlanNode
{
    public required TimeSpan Duration { get; init; }
    public required PlanNode Step { get; init; }

    [JsonIgnore]
    public override IEnumerable<PlanNode> Children => [Step];
}

/// <summary>The <c>attempts:</c> modifier: runs the step again while it fails or errors, up to <see cref="Attempts"/> times.</summary>
public sealed record RetryPlan : PlanNode
{
    public required int Attempts { get; init; }
    public required PlanNode Step { get; init; }

    [JsonIgnore]
    public override IEnumerable<PlanNode> Children => [Step];
}

/// <summary>A step with a hook that runs depending on how the step ended.</summary>
public abstract record HookPlan : PlanNode
{
    public required PlanNode Step { get; init; }
    public required PlanNode Hook { get; init; }

    [JsonIgnore]
    public override IEnumerable<PlanNode> Children => [Step, Hook];
}

public sealed record OnSuccessPlan : HookPlan;

public sealed record OnFailurePlan : HookPlan;

public sealed record OnErrorPlan : HookPlan;

public sealed record OnAbortPlan : HookPlan;

public sealed record EnsurePlan : HookPlan;
