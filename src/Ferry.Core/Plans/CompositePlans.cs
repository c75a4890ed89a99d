using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Ferry.Core.Plans;

public sealed record InParallelPlan : PlanNode
{
    public required IReadOnlyList<PlanNode> Steps { get; init; }

    /// <summary>How many steps run at once; null means all.</summary>
    public int? Limit { get; init; }

    public bool FailFast { get; init; }

    [JsonIgnore]
    public override IEnumerable<PlanNode> Children => Steps;
}

public sealed record DoPlan : PlanNode
{
    public required IReadOnlyList<PlanNode> Steps { get; init; }

    [JsonIgnore]
    public override IEnumerable<PlanNode> Children => Steps;
}

public sealed record TryPlan : PlanNode
{
    public required PlanNode Step { get; init; }

    [JsonIgnore]
    public override IEnumerable<PlanNode> Children => [Step];
}

/// <summary>Runs <see cref="Step"/> once per combination of the vars' values, each as build-local vars <c>((.:name))</c>.</summary>
public sealed record AcrossPlan : PlanNode
{
    public required IReadOnlyList<AcrossPlanVar> Vars { get; init; }
    public required PlanNode Step { get; init; }

    /// <summary>How many combinations run at once (1 unless set).</summary>
    public int MaxInFlight { get; init; } = 1;

    public bool FailFast { get; init; }

    [JsonIgnore]
    public override IEnumerable<PlanNode> Children => [Step];
}

/// <summary>One var of an <see cref="AcrossPlan"/> with its values resolved (the config's is <see cref="Pipelines.Steps.AcrossVar"/>).</summary>
public sealed record AcrossPlanVar(string Var, JsonArray Values);
