using System.Text.Json.Nodes;

namespace Ferry.Core.Plans;

/// <summary>Sets a pipeline from a file in an artifact; carried in the plan, executed by the server.</summary>
public sealed record SetPipelinePlan : PlanNode
{
    public required string Name { get; init; }

    /// <summary>A path inside an artifact, <c>artifact/ci/pipeline.yml</c>.</summary>
    public required string File { get; init; }

    public JsonObject Vars { get; init; } = [];
    public IReadOnlyList<string> VarFiles { get; init; } = [];
    public JsonObject InstanceVars { get; init; } = [];
    public string? Team { get; init; }
}

/// <summary>Reads a file from an artifact into the build-local var <c>((.:name))</c>.</summary>
public sealed record LoadVarPlan : PlanNode
{
    public required string Name { get; init; }

    /// <summary>A path inside an artifact, <c>artifact/version</c>.</summary>
    public required string File { get; init; }

    /// <summary>json, yaml, trim or raw; null picks by extension (.json, .yml/.yaml, else trim).</summary>
    public string? Format { get; init; }

    /// <summary>When false (the default) the value is redacted from logs like a secret.</summary>
    public bool Reveal { get; init; }
}
