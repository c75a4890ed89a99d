using System.Text.Json.Nodes;
using Ferry.Core.Plans;

namespace Ferry.Core.Pipelines;

/// <summary>A task's config, inline under <c>config:</c> or in a task file.</summary>
public sealed class TaskConfig : ConfigNode
{
    public string? Platform { get; init; }
    public ImageResource? ImageResource { get; init; }
    public string? RootfsUri { get; init; }
    public ContainerLimits? ContainerLimits { get; init; }
    public IReadOnlyList<TaskInput> Inputs { get; init; } = [];
    public IReadOnlyList<TaskOutput> Outputs { get; init; } = [];
    public IReadOnlyList<TaskCache> Caches { get; init; } = [];
    /// <summary>Environment variables of the task process (values may be any JSON).</summary>
    public JsonObject? Params { get; init; }
    public TaskRun? Run { get; init; }
}

public sealed class ImageResource : ConfigNode
{
    public string Type { get; init; } = "";
    public JsonObject Source { get; init; } = [];
    public JsonObject? Params { get; init; }
    public JsonObject? Version { get; init; }
}

public sealed class TaskRun : ConfigNode
{
    public string RunPath { get; init; } = "";
    public IReadOnlyList<string> Args { get; init; } = [];
    public string? Dir { get; init; }
    public string? User { get; init; }
}
