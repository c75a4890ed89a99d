using System.Text.Json.Nodes;
using Ferry.Core.Validation;
using Ferry.Core.Yaml;

namespace Ferry.Core.Pipelines.Reading;

/// <summary>Reads the fields of one YAML mapping into a model node, reporting wrong types and unknown keys.</summary>
internal sealed class MapReader
{
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    public MapReader(YamlMapping map, string path, DiagnosticBag diagnostics)
    {
        Map = map;
        Path = path;
        Diagnostics = diagnostics;
    }

    public YamlMapping Map { get; }
    public string Path { get; set; }
    public DiagnosticBag Diagnostics { get; }
    public SourceLocation Location => Map.Location;

    private readonly Dictionary<string, string> _placeholders = new(StringComparer.Ordinal);

    public bool Has(string key) => Map.TryGet(key, out _);

    /// <summary>A whole-value placeholder where a typed value belongs: kept for run time instead of being an error.</summary>
    private bool Deferred(YamlNode node, string key, bool warn)
    {
        if (node is not YamlScalar { Kind: YamlScalarKind.String } scalar || Vars.Placeholders.Whole(scalar.Value) is null)
        {
            return false;
        }
        _placeholders[key] = scalar.Value;
        if (warn)
        {
            Diagnostics.Warning(node.Location, Join(Path, key),
                $"{scalar.Value} is not known until run time; give it with -v/-y/-l to check it now");
        }
        return true;
    }

    public YamlNode? Node(string key)
    {
        _read.Add(key);
        return Map.TryGet(key, out var value) && !(value is YamlScalar { IsNull: true }) ? value : null;
    }

    public string? String(string key)
    {
        var node = Node(key);
        switch (node)
        {
            case null:
                return null;
            case YamlScalar scalar:
                return scalar.Value;
            default:
                Error(node, key, $"must be a string, not a {node.Describe()}");
                return null;
        }
    }

    public bool Bool(string key, bool fallback = false)
    {
        var node = Node(key);
        switch (node)
        {
            case null:
                return fallback;
            case YamlScalar { Kind: YamlScalarKind.Boolean } scalar:
                return scalar.AsBoolean() ?? fallback;
            case var _ when Deferred(node, key, warn: true):
                return fallback;
            default:
                Error(node, key, $"must be true or false, not '{Text(node)}'");
                return fallback;
        }
    }

    public int? Int(string key)
    {
        var node = Node(key);
        switch (node)
        {
            case null:
                return null;
            case YamlScalar { Kind: YamlScalarKind.Integer } scalar when scalar.AsInteger() is { } value and >= int.MinValue and <= int.MaxValue:
                return (int)value;
            case var _ when Deferred(node, key, warn: true):
                return null;
            default:
                Error(node, key, $"must be a whole number, not '{Text(node)}'");
                return null;
        }
    }

    public long? Long(string key)
    {
        var node = Node(key);
        switch (node)
        {
            case null:
                return null;
            case YamlScalar { Kind: YamlScalarKind.Integer } scalar:
                return scalar.AsInteger();
            case var _ when Deferred(node, key, warn: true):
                return null;
            default:
                Error(node, key, $"must be a whole number, not '{Text(node)}'");
                return null;
        }
    }

    public List<string> Strings(string key)
    {
        var node = Node(key);
        var result = new List<string>();
        switch (node)
        {
            case null:
                break;
            case YamlSequence sequence:
                for (var i = 0; i < sequence.Items.Count; i++)
                {
                    if (sequence.Items[i] is YamlScalar { IsNull: false } item)
                    {
                        result.Add(item.Value);
                    }
                    else
                    {
                        Error(sequence.Items[i], $"{key}[{i}]", $"must be a string, not a {sequence.Items[i].Describe()}");
                    }
                }
                break;
            case var _ when Deferred(node, key, warn: false):
                break;
            default:
                Error(node, key, $"must be a list of strings, not a {node.Describe()}");
                break;
        }
        return result;
    }

    public JsonObject? Object(string key)
    {
        var node = Node(key);
        switch (node)
        {
            case null:
                return null;
            case YamlMapping mapping:
                return YamlToJson.Object(mapping);
            case var _ when Deferred(node, key, warn: false):
                return null;
            default:
                Error(node, key, $"must be a mapping, not a {node.Describe()}");
                return null;
        }
    }

    public JsonNode? Json(string key) => YamlToJson.Convert(Node(key));

    public Dictionary<string, string> StringMap(string key)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var node = Node(key);
        if (node is YamlMapping mapping)
        {
            foreach (var entry in mapping.Entries)
            {
                if (entry.Value is YamlScalar scalar)
                {
                    result[entry.Key.Value] = scalar.Value;
                }
                else
                {
                    Error(entry.Value, $"{key}.{entry.Key.Value}", $"must be a string, not a {entry.Value.Describe()}");
                }
            }
        }
        else if (node is not null && !Deferred(node, key, warn: false))
        {
            Error(node, key, $"must be a mapping of names, not a {node.Describe()}");
        }
        return result;
    }

    /// <summary>Marks keys read by someone else (a step's kind key, modifiers).</summary>
    public void Skip(params string[] keys) => _read.UnionWith(keys);

    /// <summary>Records every field's place on the node (and of list items, as <c>key[i]</c>) and reports the keys nothing read.</summary>
    public void Finish(ConfigNode? target)
    {
        foreach (var placeholder in _placeholders)
        {
            target?.RecordPlaceholder(placeholder.Key, placeholder.Value);
        }
        var unknown = new List<YamlScalar>();
        foreach (var entry in Map.Entries)
        {
            target?.RecordField(entry.Key.Value, entry.Value.Location);
            if (target is not null && entry.Value is YamlSequence items)
            {
                for (var i = 0; i < items.Items.Count; i++)
                {
                    target.RecordField($"{entry.Key.Value}[{i}]", items.Items[i].Location);
                }
            }
            if (!_read.Contains(entry.Key.Value))
            {
                unknown.Add(entry.Key);
            }
        }
        foreach (var key in unknown)
        {
            Diagnostics.Warning(key.Location, Path, $"unknown field '{key.Value}'");
        }
    }

    public void Error(YamlNode at, string field, string message) =>
        Diagnostics.Error(at.Location, Join(Path, field), message);

    public static string Join(string path, string field) =>
        path.Length == 0 ? field : field.Length == 0 ? path : $"{path}.{field}";

    private static string Text(YamlNode node) => node is YamlScalar scalar ? scalar.Value : node.Describe();
}
