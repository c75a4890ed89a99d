using Ferry.Core.Yaml;

namespace Ferry.Core.Pipelines;

/// <summary>A part of a pipeline's configuration that knows its config path and where it was written.</summary>
public abstract class ConfigNode
{
    private readonly Dictionary<string, SourceLocation> _fields = new(StringComparer.Ordinal);

    /// <summary>The config path, e.g. <c>jobs.deploy.plan[2].get(app)</c>.</summary>
    public string Path { get; init; } = "";

    public SourceLocation Location { get; init; }

    /// <summary>Where a field's value was written (<c>passed</c>, or one item: <c>passed[1]</c>); the node's own place otherwise.</summary>
    public SourceLocation LocationOf(string field) => _fields.TryGetValue(field, out var at) ? at : Location;

    public bool Has(string field) => _fields.ContainsKey(field);

    internal void RecordField(string field, SourceLocation at) => _fields[field] = at;

    private readonly Dictionary<string, string> _placeholders = new(StringComparer.Ordinal);

    /// <summary>Fields whose whole value is a var not known when the pipeline was set (<c>trigger: ((t))</c>,
    /// <c>params: ((p))</c>), with the placeholder text. The model holds the default for such a field; the
    /// engine resolves the placeholder at run time.</summary>
    public IReadOnlyDictionary<string, string> Placeholders => _placeholders;

    internal void RecordPlaceholder(string field, string text) => _placeholders[field] = text;
}
