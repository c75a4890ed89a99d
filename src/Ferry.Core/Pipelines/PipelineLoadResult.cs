using Ferry.Core.Pipelines.Graph;
using Ferry.Core.Validation;
using Ferry.Core.Vars;
using Ferry.Core.Yaml;

namespace Ferry.Core.Pipelines;

public sealed record PipelineLoadOptions
{
    public StaticVars Vars { get; init; } = new();

    /// <summary>Warnings (unknown keys among them) become errors.</summary>
    public bool Strict { get; init; }

    public YamlLimits Limits { get; init; } = YamlLimits.Default;
}

/// <summary>A loaded pipeline with what validation found. <see cref="Pipeline"/> is null when the file could not be read at all.</summary>
public sealed record PipelineLoadResult(
    string FileName,
    PipelineConfig? Pipeline,
    IReadOnlyList<Diagnostic> Errors,
    IReadOnlyList<Diagnostic> Warnings,
    PipelineGraph? Graph,
    IReadOnlyList<string> UsedVars)
{
    public bool IsValid => Pipeline is not null && Errors.Count == 0;
}
