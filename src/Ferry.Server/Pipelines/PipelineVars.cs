using System.Text.Json.Nodes;
using Ferry.Core.Yaml;
using Ferry.Server.Api;

namespace Ferry.Server.Pipelines;

/// <summary>
/// The vars a pipeline was set with, in the form they are stored with its config version: one JSON object of
/// name → value (strings from <c>-v</c>, typed values from <c>-y</c> and <c>-l</c>). The engine's
/// <see cref="Ferry.Engine.Pipelines.PipelineConfigs.ToStaticVars"/> gives them back to the loader, here and when it
/// compiles plans, so a config validates at set time exactly as it will load later.
/// </summary>
internal static class PipelineVars
{
    /// <summary>Files first (later ones win), then <c>-v</c>, then <c>-y</c>; a var file that is not a mapping is a 422.</summary>
    internal static JsonObject From(SetPipelineRequest request)
    {
        var vars = new JsonObject();
        foreach (var file in request.VarFiles ?? [])
        {
            var root = Load(file.Content, file.Name, "varFiles");
            if (root is null)
            {
                continue;
            }
            if (root is not YamlMapping map)
            {
                throw Invalid("varFiles", root.Location, $"a vars file must be a mapping of names to values, not a {root.Describe()}");
            }
            foreach (var entry in map.Entries)
            {
                vars[entry.Key.Value] = ToJson(entry.Value);
            }
        }
        foreach (var (name, value) in (request.Vars ?? []).Concat(request.SecretVars ?? []))
        {
            vars[name] = JsonValue.Create(value);
        }
        foreach (var (name, yaml) in request.YamlVars ?? [])
        {
            vars[name] = ToJson(Load(yaml, "-y " + name, "yamlVars"));
        }
        return vars;
    }

    private static YamlNode? Load(string text, string fileName, string field)
    {
        try
        {
            return YamlLoader.Load(text, fileName).Root;
        }
        catch (YamlLoadException e)
        {
            throw Invalid(field, e.Location, e.Reason);
        }
    }

    private static ApiException Invalid(string field, SourceLocation at, string message) =>
        new(StatusCodes.Status422UnprocessableEntity, $"{at}: {message}", field, [new ConfigError(at.ToString(), field, message)]);

    internal static JsonNode? ToJson(YamlNode? node) => node switch
    {
        null => null,
        YamlMapping map => new JsonObject(map.Entries.Select(e => KeyValuePair.Create(e.Key.Value, ToJson(e.Value)))),
        YamlSequence list => new JsonArray([.. list.Items.Select(ToJson)]),
        YamlScalar s => s.Kind switch
        {
            YamlScalarKind.Null => null,
            YamlScalarKind.Boolean when s.AsBoolean() is { } b => JsonValue.Create(b),
            YamlScalarKind.Integer when s.AsInteger() is { } i => JsonValue.Create(i),
            YamlScalarKind.Float when s.AsFloat() is { } f && double.IsFinite(f) => JsonValue.Create(f),
            _ => JsonValue.Create(s.Value),
        },
        _ => null,
    };
}
