using System.Text.Json.Nodes;
using Spectre.Console;

namespace Ferry.Cli.Client;

/// <summary>
/// Aligned columns with a header in capitals, drawn by Spectre.Console. Plain output (not a terminal) has no
/// borders and no colour: columns two spaces apart, one line per row, no trailing spaces, so it reads well and
/// greps well. A terminal gets the same layout fitted to its width (long cells wrap), a bold header and a
/// coloured status column.
/// </summary>
internal sealed class Table(params string[] headers)
{
    private const int Gap = 2;
    private readonly List<string[]> _rows = [];

    public Table Add(params string?[] cells)
    {
        if (cells.Length > headers.Length)
        {
            throw new ArgumentException($"a row of {cells.Length} cells for {headers.Length} columns", nameof(cells));
        }
        _rows.Add([.. headers.Select((_, i) => i < cells.Length ? cells[i] ?? "" : "")]);
        return this;
    }

    public int Count => _rows.Count;

    public Task WriteAsync(TextWriter output, string empty) => WriteAsync(Terminal.For(output), empty);

    public async Task WriteAsync(Terminal terminal, string empty)
    {
        if (_rows.Count == 0)
        {
            await terminal.WriteLineAsync(empty);
            return;
        }
        if (terminal.Console is { } console)
        {
            console.Write(Render(styled: true));
            return;
        }
        // Wide enough that no cell wraps (a wide character counts twice), rendered off screen, trailing padding cut.
        var width = Math.Max(80, headers.Select((h, i) => 2 * Math.Max(h.Length, _rows.Max(r => r[i].Length)) + Gap).Sum());
        var text = new StringWriter();
        var plain = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(text),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        plain.Profile.Width = width;
        plain.Write(Render(styled: false));
        foreach (var line in text.ToString().Split('\n').SkipLast(1))
        {
            await terminal.Output.WriteLineAsync(line.TrimEnd());
        }
    }

    private Spectre.Console.Table Render(bool styled)
    {
        var table = new Spectre.Console.Table { Border = TableBorder.None };
        for (var i = 0; i < headers.Length; i++)
        {
            var header = new Text(headers[i].ToUpperInvariant(), styled ? new Style(decoration: Decoration.Bold) : Style.Plain);
            table.AddColumn(new TableColumn(header) { Padding = new Padding(0, 0, i == headers.Length - 1 ? 0 : Gap, 0) });
        }
        var status = Array.IndexOf(headers, "status");
        foreach (var row in _rows)
        {
            table.AddRow(row.Select((cell, i) => new Text(cell, styled && i == status ? StatusStyle(cell) : Style.Plain)));
        }
        return table;
    }

    private static Style StatusStyle(string status) => status switch
    {
        "succeeded" => new Style(Color.Green),
        "failed" or "errored" or "rejected" => new Style(Color.Red),
        "aborted" => new Style(Color.Yellow),
        "pending" or "started" or "awaiting_approval" or "approved" or "deploying" or "verifying" => new Style(Color.Blue),
        _ => Style.Plain,
    };
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
