namespace Ferry.Core.Pipelines.Steps;

/// <summary><c>in_parallel: [steps]</c> or <c>in_parallel: {steps, limit, fail_fast}</c>.</summary>
public sealed class InParallelStep : Step
{
    public override string Kind => "in_parallel";

    public IReadOnlyList<Step> Steps { get; init; } = [];
    /// <summary>Null: all at once.</summary>
    public int? Limit { get; init; }
    public bool FailFast { get; init; }

    public override IEnumerable<Step> Children => Steps;
}

public sealed class DoStep : Step
{
    public override string Kind => "do";

    public IReadOnlyList<Step> Steps { get; init; } = [];

    public override IEnumerable<Step> Children => Steps;
}

/// <summary><c>try: step</c>: the step's failure does not fail the build.</summary>
public sealed class TryStep : Step
{
    public override string Kind => "try";

    public required Step Step { get; init; }

    public override IEnumerable<Step> Children => [Step];
}
