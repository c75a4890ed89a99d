using System.Text.Json.Nodes;

namespace Ferry.Core.Pipelines;

public sealed class ResourceConfig : ConfigNode
{
    public string Name { get; init; } = "";
    public string Type { get; init; } = "";
    public JsonObject Source { get; init; } = [];
    /// <summary>A Go duration, or <c>never</c>.</summary>
    public string? CheckEvery { get; init; }
    public string? CheckTimeout { get; init; }
    public string? WebhookToken { get; init; }
    /// <summary>A pinned version (<c>version: {ref: abc}</c>); null when not pinned in config.</summary>
    public JsonObject? Version { get; init; }
    public string? Icon { get; init; }
    public IReadOnlyList<string> Tags { get; init; } = [];
    public bool Public { get; init; }
    public string? OldName { get; init; }
    public bool ExposeBuildCreatedBy { get; init; }
}

public sealed class ResourceTypeConfig : ConfigNode
{
    public string Name { get; init; } = "";
    public string Type { get; init; } = "";
    public JsonObject Source { get; init; } = [];
    /// <summary>Merged into the source of every resource of this type.</summary>
    public JsonObject? Defaults { get; init; }
    public JsonObject? Params { get; init; }
    public bool Privileged { get; init; }
    public string? CheckEvery { get; init; }
    public IReadOnlyList<string> Tags { get; init; } = [];
    public bool UniqueVersionHistory { get; init; }
}
