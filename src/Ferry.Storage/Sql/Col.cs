using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ferry.Core.Versions;

namespace Ferry.Storage.Sql;

/// <summary>Column encodings shared by both dialects: times as Unix milliseconds, JSON as text.</summary>
internal static class Col
{
    public static DateTimeOffset Time(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    public static DateTimeOffset? Time(long? ms) => ms is { } v ? DateTimeOffset.FromUnixTimeMilliseconds(v) : null;

    public static long? Ms(DateTimeOffset? time) => time?.ToUnixTimeMilliseconds();

    public static string Json(JsonNode? node) => node?.ToJsonString() ?? "null";

    public static JsonObject Object(string? json) =>
        string.IsNullOrEmpty(json) ? [] : JsonNode.Parse(json) as JsonObject ?? [];

    /// <summary>Version fields with sorted keys: the same version always gives the same text and hash.</summary>
    public static string VersionJson(IReadOnlyDictionary<string, string> fields)
    {
        var sorted = new SortedDictionary<string, string>(fields.ToDictionary(p => p.Key, p => p.Value), StringComparer.Ordinal);
        return JsonSerializer.Serialize(sorted);
    }

    public static string Sha(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    public static string MetadataJson(IReadOnlyList<MetadataField> metadata) =>
        JsonSerializer.Serialize(metadata.Select(m => new[] { m.Name, m.Value }));

    public static ResourceVersion Version(string versionJson, string metadataJson)
    {
        var fields = JsonSerializer.Deserialize<Dictionary<string, string>>(versionJson) ?? [];
        var pairs = JsonSerializer.Deserialize<string[][]>(metadataJson) ?? [];
        return new ResourceVersion(fields, [.. pairs.Select(p => new MetadataField(p[0], p[1]))]);
    }
}
