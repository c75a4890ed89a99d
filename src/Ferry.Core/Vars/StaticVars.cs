using Ferry.Core.Yaml;

namespace Ferry.Core.Vars;

/// <summary>Vars known when a pipeline is set: <c>-v k=v</c>, <c>-y k=yaml</c> and <c>-l vars.yml</c>.</summary>
/// <remarks>Later additions override earlier ones, as with fly's flags.</remarks>
public sealed class StaticVars
{
    private readonly Dictionary<string, YamlNode> _values = new(StringComparer.Ordinal);

    public static StaticVars Empty => new();

    public IReadOnlyCollection<string> Names => _values.Keys;

    /// <summary><c>-v name=value</c>: always a string.</summary>
    public StaticVars AddString(string name, string value)
    {
        _values[name] = new YamlScalar(new SourceLocation("-v " + name, 1, 1), value, YamlScalarStyle.DoubleQuoted);
        return this;
    }

    /// <summary><c>-y name=yaml</c>: the value keeps its YAML type.</summary>
    public StaticVars AddYaml(string name, string yaml)
    {
        var document = YamlLoader.Load(yaml, "-y " + name);
        _values[name] = document.Root ?? new YamlScalar(new SourceLocation("-y " + name, 1, 1), "", YamlScalarStyle.Plain);
        return this;
    }

    /// <summary><c>-l vars.yml</c>: every top-level key is a var.</summary>
    public StaticVars AddFile(string path, YamlLimits? limits = null)
    {
        var document = YamlLoader.LoadFile(path, limits);
        AddMapping(document.Root, Path.GetFileName(path));
        return this;
    }

    /// <summary>Like <see cref="AddFile"/>, from text already read.</summary>
    public StaticVars AddYamlFile(string yaml, string fileName)
    {
        AddMapping(YamlLoader.Load(yaml, fileName).Root, fileName);
        return this;
    }

    /// <summary>Parses a <c>-v</c>/<c>-y</c> flag value of the form <c>name=value</c>.</summary>
    public static (string Name, string Value) SplitFlag(string flag)
    {
        var equals = flag.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0)
        {
            throw new ArgumentException($"'{flag}' is not of the form name=value", nameof(flag));
        }
        return (flag[..equals], flag[(equals + 1)..]);
    }

    public bool TryGet(string name, out YamlNode value) => _values.TryGetValue(name, out value!);

    /// <summary>Finds the value a reference names, following its fields into mappings.</summary>
    public bool TryResolve(VarReference reference, out YamlNode value)
    {
        value = null!;
        if (reference.Source is not null || !_values.TryGetValue(reference.Path, out var current))
        {
            return false;
        }
        foreach (var field in reference.Fields)
        {
            if (current is not YamlMapping map || !map.TryGet(field, out current!))
            {
                return false;
            }
        }
        value = current;
        return true;
    }

    private void AddMapping(YamlNode? root, string fileName)
    {
        switch (root)
        {
            case null:
                return;
            case YamlMapping map:
                foreach (var entry in map.Entries)
                {
                    _values[entry.Key.Value] = entry.Value;
                }
                return;
            default:
                throw new YamlLoadException(root.Location, $"{fileName}: a vars file must be a mapping of names to values, not a {root.Describe()}");
        }
    }
}
