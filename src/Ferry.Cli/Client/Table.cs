using System.Text.Json.Nodes;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Ferry.Cli.Client;

/// <summary>
/// Aligned columns with a header in capitals, drawn by Spectre.Console. Plain output (not a terminal) has no
/// borders and no colour: columns two spaces apart, one line per row, no trailing spaces, so it reads well and
/// greps well. A terminal gets the same layout with a bold header and a coloured status column, fitted to its width
/// by wrapping the free-text columns (<see cref="Wrap"/>) when the others leave them room.
/// </summary>
internal sealed class Table(params string[] headers)
{
    private const int Gap = 2;
    private const int MinWrapWidth = 16;
    private const int Unbounded = 1 << 20;
    private readonly List<string[]> _rows = [];
    private readonly HashSet<int> _wrap = [];

    public Table Add(params string?[] cells)
    {
        if (cells.Length > headers.Length)
        {
            throw new ArgumentException($"a row of {cells.Length} cells for {headers.Length} columns", nameof(cells));
        }
        _rows.Add([.. headers.Select((_, i) => i < cells.Length ? cells[i] ?? "" : "")]);
        return this;
    }

    /// <summary>On a terminal, these free-text columns wrap so that the table fits its width; the others never wrap.</summary>
    public Table Wrap(params string[] columns)
    {
        foreach (var column in columns)
        {
            var index = Array.IndexOf(headers, column);
            _wrap.Add(index >= 0 ? index : throw new ArgumentException($"no column '{column}'", nameof(columns)));
        }
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
            var fits = _wrap.Count > 0 && Width(console, Render(styled: true, without: _wrap)) + _wrap.Count * MinWrapWidth <= console.Profile.Width;
            if (fits)
            {
                console.Write(Render(styled: true));
            }
            else
            {
                // Lines as long as they need to be, as on plain output: the terminal folds them.
                WriteUnbounded(console, Render(styled: true, wrap: false));
            }
            return;
        }
        var text = new StringWriter();
        WriteUnbounded(AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(text),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        }), Render(styled: false, wrap: false));
        foreach (var line in text.ToString().Split('\n').SkipLast(1))
        {
            await terminal.Output.WriteLineAsync(line.TrimEnd());
        }
    }

    private static int Width(IAnsiConsole console, IRenderable table) => table.Measure(RenderOptions.Create(console), Unbounded).Max;

    private static void WriteUnbounded(IAnsiConsole console, IRenderable table)
    {
        var width = console.Profile.Width;
        console.Profile.Width = Math.Max(width, Width(console, table));
        try
        {
            console.Write(table);
        }
        finally
        {
            console.Profile.Width = width;
        }
    }

    private Spectre.Console.Table Render(bool styled, bool wrap = true, IReadOnlySet<int>? without = null)
    {
        var shown = Enumerable.Range(0, headers.Length).Where(i => without?.Contains(i) != true).ToList();
        var table = new Spectre.Console.Table { Border = TableBorder.None };
        foreach (var i in shown)
        {
            var header = new Text(headers[i].ToUpperInvariant(), styled ? new Style(decoration: Decoration.Bold) : Style.Plain);
            table.AddColumn(new TableColumn(header)
            {
                Padding = new Padding(0, 0, i == shown[^1] ? 0 : Gap, 0),
                NoWrap = !wrap || !_wrap.Contains(i),
            });
        }
        var status = Array.IndexOf(headers, "status");
        foreach (var row in _rows)
        {
            table.AddRow(shown.Select(i => new Text(row[i], styled && i == status ? StatusStyle(row[i]) : Style.Plain)));
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
