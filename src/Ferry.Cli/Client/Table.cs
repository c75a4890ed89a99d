using System.Text.Json.Nodes;

namespace Ferry.Cli.Client;

/// <summary>Plain aligned columns; a header in capitals, no borders, so the output reads well and greps well.</summary>
internal sealed class Table(params string[] headers)
{
    private readonly List<string[]> _rows = [];

    public Table Add(params string?[] cells)
    {
        _rows.Add([.. cells.Select(c => c ?? "")]);
        return this;
    }

    public int Count => _rows.Count;

    public void Write(TextWriter output, string empty)
    {
        if (_rows.Count == 0)
        {
            output.WriteLine(empty);
            return;
        }
        var widths = headers.Select((h, i) => Math.Max(h.Length, _rows.Max(r => i < r.Length ? r[i].Length : 0))).ToArray();
        WriteRow(output, headers.Select(h => h.ToUpperInvariant()).ToArray(), widths);
        foreach (var row in _rows)
        {
            WriteRow(output, row, widths);
        }
    }

    private static void WriteRow(TextWriter output, string[] cells, int[] widths)
    {
        var parts = cells.Select((c, i) => i == cells.Length - 1 ? c : c.PadRight(widths[i]));
        output.WriteLine(string.Join("  ", parts).TrimEnd());
    }
}

/// <summary>Reading fields of API JSON without ceremony.</summary>
internal static class Json
{
    public static string? Text(this JsonNode? node, string field) => node?[field] switch
    {
        null => null,
        JsonValue value when value.TryGetValue<string>(out var s) => s,
        var other => other.ToJsonString(),
    };

    public static bool Flag(this JsonNode? node, string field) =>
        node?[field] is JsonValue value && value.TryGetValue<bool>(out var b) && b;

    /// <summary>An ISO 8601 timestamp shown as local-free "2026-11-22 08:04:17Z".</summary>
    public static string Time(this JsonNode? node, string field) =>
        node.Text(field) is { } text && DateTimeOffset.TryParse(text, out var time)
            ? time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss") + "Z"
            : "";

    public static IEnumerable<JsonNode> Items(this JsonNode? node) =>
        (node as JsonArray ?? node?["items"] as JsonArray ?? []).OfType<JsonNode>();
}
