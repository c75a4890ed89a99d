namespace Ferry.Core.Yaml;

/// <summary>A file could not be read as YAML; names the place where reading stopped.</summary>
public sealed class YamlLoadException : Exception
{
    public YamlLoadException(SourceLocation location, string reason)
        : base($"{location} {reason}")
    {
        Location = location;
        Reason = reason;
    }

    public SourceLocation Location { get; }

    /// <summary>The message without the location.</summary>
    public string Reason { get; }
}
