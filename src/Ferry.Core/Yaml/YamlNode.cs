namespace Ferry.Core.Yaml;

/// <summary>A node of a loaded YAML document that remembers where it was written.</summary>
/// <remarks>Aliases share the anchored node, so a tree may be a DAG; <see cref="ExpandedSize"/> is
/// bounded by the loader, which keeps walking it safe.</remarks>
public abstract class YamlNode
{
    protected YamlNode(SourceLocation location) => Location = location;

    public SourceLocation Location { get; }

    /// <summary>How many nodes this node stands for once every alias below it is expanded.</summary>
    public long ExpandedSize { get; internal set; } = 1;

    /// <summary>The kind of node for messages: "mapping", "sequence", "string", "integer"...</summary>
    public abstract string Describe();
}

/// <summary>An ordered YAML mapping whose keys are scalars (the only keys pipelines use).</summary>
public sealed class YamlMapping : YamlNode
{
    private readonly List<KeyValuePair<YamlScalar, YamlNode>> _entries;

    public YamlMapping(SourceLocation location, List<KeyValuePair<YamlScalar, YamlNode>> entries)
        : base(location) => _entries = entries;

    public IReadOnlyList<KeyValuePair<YamlScalar, YamlNode>> Entries => _entries;

    public YamlNode? this[string key] => TryGet(key, out var value) ? value : null;

    public bool TryGet(string key, out YamlNode value)
    {
        // Later entries win, as go-yaml lets a repeated key override an earlier one.
        for (var i = _entries.Count - 1; i >= 0; i--)
        {
            if (_entries[i].Key.Value == key)
            {
                value = _entries[i].Value;
                return true;
            }
        }
        value = null!;
        return false;
    }

    public bool Has(string key) => TryGet(key, out _);

    public YamlScalar? KeyNode(string key)
    {
        for (var i = _entries.Count - 1; i >= 0; i--)
        {
            if (_entries[i].Key.Value == key)
            {
                return _entries[i].Key;
            }
        }
        return null;
    }

    public override string Describe() => "mapping";
}

public sealed class YamlSequence : YamlNode
{
    public YamlSequence(SourceLocation location, IReadOnlyList<YamlNode> items) : base(location) => Items = items;

    public IReadOnlyList<YamlNode> Items { get; }

    public override string Describe() => "sequence";
}
