using System.Text.Json.Nodes;

namespace Ferry.Core.Plans;

/// <summary>Runs a task: its config is inline (<see cref="Config"/>) or read from an artifact (<see cref="File"/>).</summary>
public sealed record TaskPlan : PlanNode
{
    public required string Name { get; init; }
    public TaskPlanConfig? Config { get; init; }

    /// <summary>A path inside an artifact, <c>artifact/dir/task.yml</c>.</summary>
    public string? File { get; init; }

    /// <summary>An artifact holding the image to run in (<c>image:</c>).</summary>
    public string? Image { get; init; }

    /// <summary>Override the config's params; become environment variables.</summary>
    public JsonObject Params { get; init; } = [];

    /// <summary>Values for the <c>((var))</c> placeholders of a task file.</summary>
    public JsonObject Vars { get; init; } = [];

    /// <summary>Task input name → artifact name.</summary>
    public IReadOnlyDictionary<string, string> InputMapping { get; init; } = new Dictionary<string, string>();

    /// <summary>Task output name → artifact name.</summary>
    public IReadOnlyDictionary<string, string> OutputMapping { get; init; } = new Dictionary<string, string>();

    public bool Privileged { get; init; }
    public IReadOnlyList<string> Tags { get; init; } = [];
}
