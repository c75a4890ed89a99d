using System.Text.Json.Nodes;

namespace Ferry.Core.Pipelines;

/// <summary>A whole pipeline as configured: Concourse's parts plus Ferry's environments.</summary>
public sealed class PipelineConfig : ConfigNode
{
    public IReadOnlyList<ResourceConfig> Resources { get; init; } = [];
    public IReadOnlyList<ResourceTypeConfig> ResourceTypes { get; init; } = [];
    public IReadOnlyList<JobConfig> Jobs { get; init; } = [];
    public IReadOnlyList<GroupConfig> Groups { get; init; } = [];
    public IReadOnlyList<VarSourceConfig> VarSources { get; init; } = [];
    public DisplayConfig? Display { get; init; }
    public IReadOnlyList<EnvironmentConfig> Environments { get; init; } = [];

    public ResourceConfig? FindResource(string name) => Resources.FirstOrDefault(r => r.Name == name);
    public JobConfig? FindJob(string name) => Jobs.FirstOrDefault(j => j.Name == name);
    public EnvironmentConfig? FindEnvironment(string name) => Environments.FirstOrDefault(e => e.Name == name);
}

public sealed class GroupConfig : ConfigNode
{
    public string Name { get; init; } = "";
    public IReadOnlyList<string> Jobs { get; init; } = [];
    public IReadOnlyList<string> Resources { get; init; } = [];
}

/// <summary>A named source of <c>((name:path))</c> vars (vault, ssm, ...), read at run time.</summary>
public sealed class VarSourceConfig : ConfigNode
{
    public string Name { get; init; } = "";
    public string Type { get; init; } = "";
    public JsonObject Config { get; init; } = [];
}

public sealed class DisplayConfig : ConfigNode
{
    public string? BackgroundImage { get; init; }
    public string? BackgroundFilter { get; init; }
}
