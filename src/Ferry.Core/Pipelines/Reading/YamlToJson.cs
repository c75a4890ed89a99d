using System.Text.Json.Nodes;
using Ferry.Core.Yaml;

namespace Ferry.Core.Pipelines.Reading;

/// <summary>Converts free-form config (source, params) to JSON, which is what the engine and resource types speak.</summary>
internal static class YamlToJson
{
    public static JsonNode? Convert(YamlNode? node) => node switch
    {
        null => null,
        YamlScalar scalar => Scalar(scalar),
        YamlSequence sequence => new JsonArray(sequence.Items.Select(Convert).ToArray()),
        YamlMapping mapping => Object(mapping),
        _ => null,
    };

    public static JsonObject Object(YamlMapping mapping)
    {
        var result = new JsonObject();
        foreach (var entry in mapping.Entries)
        {
            result[entry.Key.Value] = Convert(entry.Value);
        }
        return result;
    }

    private static JsonNode? Scalar(YamlScalar scalar)
    {
        switch (scalar.Kind)
        {
            case YamlScalarKind.Null:
                return null;
            case YamlScalarKind.Boolean:
                return JsonValue.Create(scalar.AsBoolean() ?? false);
            case YamlScalarKind.Integer when scalar.AsInteger() is { } integer:
                return JsonValue.Create(integer);
            case YamlScalarKind.Float when scalar.AsFloat() is { } number && double.IsFinite(number):
                return JsonValue.Create(number);
            default:
                return JsonValue.Create(scalar.Value);
        }
    }
}
