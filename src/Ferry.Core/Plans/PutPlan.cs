using System.Text.Json.Nodes;

namespace Ferry.Core.Plans;

/// <summary>Pushes to a resource, then (unless <see cref="NoGet"/>) gets the version it created under <see cref="Name"/>.</summary>
public sealed record PutPlan : PlanNode
{
    public required string Name { get; init; }
    public required string Resource { get; init; }
    public required string Type { get; init; }
    public JsonObject Source { get; init; } = [];
    public JsonObject Params { get; init; } = [];
    public PutInputs Inputs { get; init; } = PutInputs.All;
    public JsonObject GetParams { get; init; } = [];
    public bool NoGet { get; init; }
    public IReadOnlyList<string> Tags { get; init; } = [];
}

public enum PutInputsMode
{
    All,
    Detect,
    List,
}

/// <summary>Which artifacts the put sees (<c>inputs: all | detect | [names]</c>): all of them, those its params mention, or a named list.</summary>
public sealed record PutInputs(PutInputsMode Mode, IReadOnlyList<string> Names)
{
    public static PutInputs All { get; } = new(PutInputsMode.All, []);

    public static PutInputs Detect { get; } = new(PutInputsMode.Detect, []);

    public static PutInputs Listed(params IReadOnlyList<string> names) => new(PutInputsMode.List, names);
}
