using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ferry.Core.Plans;

/// <summary>The JSON form a plan is stored in with its build (snake_case, nodes tagged by <c>kind</c>).</summary>
public static class PlanJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        AllowOutOfOrderMetadataProperties = true,
        RespectNullableAnnotations = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public static string Serialize(PlanNode plan) => JsonSerializer.Serialize(plan, Options);

    /// <summary>Reads a stored plan; a malformed one fails with the JSON path that is wrong.</summary>
    public static PlanNode Deserialize(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<PlanNode>(json, Options)
                ?? throw new InvalidDataException("build plan: the JSON is null");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"build plan: {e.Message}", e);
        }
    }
}
