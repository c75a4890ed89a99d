namespace Ferry.Core.Yaml;

/// <summary>Bounds that keep hostile input (huge files, deep nesting, alias bombs) from hanging the loader.</summary>
public sealed record YamlLimits
{
    public static YamlLimits Default { get; } = new();

    public long MaxFileBytes { get; init; } = 10 * 1024 * 1024;

    public int MaxDepth { get; init; } = 200;

    /// <summary>The most nodes a document may stand for once its aliases are expanded.</summary>
    public long MaxExpandedNodes { get; init; } = 1_000_000;
}
