using System.Text.Json.Nodes;

namespace Ferry.Core.Plans;

/// <summary>Fetches one version of a resource into an artifact named <see cref="Name"/>.</summary>
public sealed record GetPlan : PlanNode
{
    /// <summary>The artifact name (the step's <c>get:</c>).</summary>
    public required string Name { get; init; }

    /// <summary>The pipeline resource (<c>resource:</c>, defaults to the name).</summary>
    public required string Resource { get; init; }

    public required string Type { get; init; }
    public JsonObject Source { get; init; } = [];
    public JsonObject Params { get; init; } = [];

    /// <summary>The version the scheduler chose; null means "the latest the type reports now".</summary>
    public IReadOnlyDictionary<string, string>? Version { get; init; }

    public IReadOnlyList<string> Tags { get; init; } = [];
}
