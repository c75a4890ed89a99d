using System.Text.Json.Nodes;

namespace Ferry.Core.Plans;

/// <summary>A task's config (Concourse's task schema): what it needs, what it makes, what it runs.</summary>
public sealed record TaskConfig
{
    public string? Platform { get; init; }
    public ImageResource? ImageResource { get; init; }
    public IReadOnlyList<TaskInput> Inputs { get; init; } = [];
    public IReadOnlyList<TaskOutput> Outputs { get; init; } = [];
    public IReadOnlyList<TaskCache> Caches { get; init; } = [];
    public JsonObject Params { get; init; } = [];
    public required TaskRun Run { get; init; }
    public ContainerLimits? ContainerLimits { get; init; }
}

public sealed record ImageResource
{
    public required string Type { get; init; }
    public JsonObject Source { get; init; } = [];
    public JsonObject Params { get; init; } = [];
    public IReadOnlyDictionary<string, string>? Version { get; init; }
}

/// <param name="Path">Where the input appears relative to the task's working directory; defaults to the name.</param>
public sealed record TaskInput(string Name, string? Path = null, bool Optional = false);

public sealed record TaskOutput(string Name, string? Path = null);

public sealed record TaskCache(string Path);

public sealed record TaskRun
{
    public required string Path { get; init; }
    public IReadOnlyList<string> Args { get; init; } = [];
    public string? Dir { get; init; }
    public string? User { get; init; }
}

public sealed record ContainerLimits(long? Cpu = null, long? Memory = null);
