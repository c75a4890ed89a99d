namespace Ferry.Core.Yaml;

/// <summary>A loaded document: its root (null when the file holds no content) and what looked wrong but loaded.</summary>
public sealed record YamlDocument(string FileName, YamlNode? Root, IReadOnlyList<YamlWarning> Warnings);

public sealed record YamlWarning(SourceLocation Location, string Message)
{
    public override string ToString() => $"{Location} {Message}";
}
