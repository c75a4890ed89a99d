using System.Text.Json.Nodes;
using Ferry.Core.Plans;

namespace Ferry.Core.Pipelines.Steps;

public sealed class TaskStep : Step
{
    public override string Kind => "task";

    public string Name { get; init; } = "";
    /// <summary>A task config file inside an artifact (<c>app/ci/test.yml</c>), loaded at run time.</summary>
    public string? File { get; init; }
    public TaskConfig? Config { get; init; }
    /// <summary>The artifact to use as the task's image.</summary>
    public string? Image { get; init; }
    public bool Privileged { get; init; }
    /// <summary>Vars for <c>((var))</c> in the task file.</summary>
    public JsonObject? Vars { get; init; }
    public JsonObject? Params { get; init; }
    public IReadOnlyDictionary<string, string> InputMapping { get; init; } = new Dictionary<string, string>();
    public IReadOnlyDictionary<string, string> OutputMapping { get; init; } = new Dictionary<string, string>();
    public ContainerLimits? ContainerLimits { get; init; }
    public bool Hermetic { get; init; }
}
