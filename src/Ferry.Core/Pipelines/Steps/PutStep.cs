using System.Text.Json.Nodes;
using Ferry.Core.Plans;

namespace Ferry.Core.Pipelines.Steps;

public sealed class PutStep : Step
{
    public override string Kind => "put";

    public string Name { get; init; } = "";
    public string Resource { get; init; } = "";
    public JsonObject? Params { get; init; }
    public PutInputs Inputs { get; init; } = PutInputs.All;
    public JsonObject? GetParams { get; init; }
    /// <summary>Skip the implicit get of the version the put produced.</summary>
    public bool NoGet { get; init; }
}
