using System.Text.Json.Nodes;

namespace Ferry.Core.Plans;

/// <summary>
/// A task's config as a plan carries it (Concourse's task schema): what it needs, what it makes, what it runs. The
/// config as read from YAML, with source locations, is <see cref="Pipelines.TaskConfig"/>.
/// </summary>
public sealed record TaskPlanConfig
{
    public string? Platform { get; init; }
    public TaskPlanImageResource? ImageResource { get; init; }
    public IReadOnlyList<TaskInput> Inputs { get; init; } = [];
    public IReadOnlyList<TaskOutput> Outputs { get; init; } = [];
    public IReadOnlyList<TaskCache> Caches { get; init; } = [];
    public JsonObject Params { get; init; } = [];
    public required TaskPlanRun Run { get; init; }
    public ContainerLimits? ContainerLimits { get; init; }
}

public sealed record TaskPlanImageResource
{
    public required string Type { get; init; }
    public JsonObject Source { get; init; } = [];
    public JsonObject Params { get; init; } = [];
    public IReadOnlyDictionary<string, string>? Version { get; init; }
}

/// <summary>An input of a task, as configured and as planned.</summary>
/// <param name="Path">Where the input appears relative to the task's working directory; defaults to the name.</param>
public sealed record TaskInput(string Name, string? Path = null, bool Optional = false);

public sealed record TaskOutput(string Name, string? Path = null);

public sealed record TaskCache(string Path);

public sealed record TaskPlanRun
{
    public required string Path { get; init; }
    public IReadOnlyList<string> Args { get; init; } = [];
    public string? Dir { get; init; }
    public string? User { get; init; }
}

public sealed record ContainerLimits(long? Cpu = null, long? Memory = null);
