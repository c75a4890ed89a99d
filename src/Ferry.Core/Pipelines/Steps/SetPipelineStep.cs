using System.Text.Json.Nodes;

namespace Ferry.Core.Pipelines.Steps;

/// <summary><c>set_pipeline: name</c> (or <c>self</c>): configures a pipeline from a file in an artifact.</summary>
public sealed class SetPipelineStep : Step
{
    public override string Kind => "set_pipeline";

    public string Name { get; init; } = "";
    public string? File { get; init; }
    public JsonObject? Vars { get; init; }
    public IReadOnlyList<string> VarFiles { get; init; } = [];
    public string? Team { get; init; }
    public JsonObject? InstanceVars { get; init; }
}

/// <summary><c>load_var: name</c>: reads a file into a build-local var <c>((.:name))</c>.</summary>
public sealed class LoadVarStep : Step
{
    public override string Kind => "load_var";

    public string Name { get; init; } = "";
    public string? File { get; init; }
    /// <summary>json, yaml, yml, trim or raw; null: by the file's extension.</summary>
    public string? Format { get; init; }
    public bool Reveal { get; init; }
}
