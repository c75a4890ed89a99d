using System.Globalization;
using System.Text.Json.Nodes;

namespace Ferry.Engine.Resources;

/// <summary>Typed reads of an already validated config object; errors name the field (<c>params.depth: …</c>).</summary>
internal sealed class ConfigReader(JsonObject? config, string path)
{
    private readonly JsonObject _config = config ?? [];

    public string Path { get; } = path;

    public string? String(string name)
    {
        var node = _config[name];
        if (node is null)
            return null;
        if (node is JsonValue v && v.TryGetValue<string>(out var s))
            return s;
        throw new ResourceConfigException($"{Path}.{name}: must be a string");
    }

    public string RequiredString(string name) =>
        String(name) is { Length: > 0 } s ? s : throw new ResourceConfigException($"{Path}.{name}: required");

    public int? Integer(string name)
    {
        var node = _config[name];
        if (node is null)
            return null;
        if (node is JsonValue v && (v.TryGetValue<int>(out var i) || (v.TryGetValue<string>(out var s) && int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out i))))
            return i;
        throw new ResourceConfigException($"{Path}.{name}: must be an integer");
    }

    public bool Boolean(string name, bool fallback = false)
    {
        var node = _config[name];
        if (node is null)
            return fallback;
        if (node is JsonValue v && v.TryGetValue<bool>(out var b))
            return b;
        throw new ResourceConfigException($"{Path}.{name}: must be true or false");
    }

    public IReadOnlyList<string> StringList(string name)
    {
        var node = _config[name];
        switch (node)
        {
            case null:
                return [];
            case JsonValue v when v.TryGetValue<string>(out var single):
                return [single];
            case JsonArray a:
                return a.Select((e, i) => e is JsonValue ev && ev.TryGetValue<string>(out var s)
                    ? s
                    : throw new ResourceConfigException($"{Path}.{name}[{i}]: must be a string")).ToList();
            default:
                throw new ResourceConfigException($"{Path}.{name}: must be a string or a list of strings");
        }
    }
}
