using System.Globalization;
using Ferry.Core.Pipelines.Graph;

namespace Ferry.Server.Ui.Pipelines;

/// <summary>
/// A pipeline's graph placed left to right as versions flow (<see cref="GraphLayers"/>): resources, the jobs that get
/// them, jobs after the jobs they pass through, resources they put, then the environments in their chain, and the
/// per-branch environments of a <c>for_each</c> resource after it. Each node may carry a tooltip (what it waits for),
/// drawn under the node; nodes are listed bottom row first, so a tooltip is drawn over the nodes below it.
/// </summary>
internal sealed class GraphLayout
{
    public const int NodeWidth = 180;
    public const int NodeHeight = 40;
    private const int ColumnGap = 60;
    private const int RowGap = 16;
    private const int Margin = 12;
    public const int TipWidth = 360;
    public const int TipLineHeight = 15;
    /// <summary>12px text in a 360px box holds about 54 characters a line; the full text is in the node's title.</summary>
    private const int TipColumns = 54;
    private const int TipMaxLines = 8;

    public required IReadOnlyList<GraphNode> Nodes { get; init; }
    public required IReadOnlyList<GraphEdge> Edges { get; init; }
    public int Width { get; init; }
    public int Height { get; init; }

    public static GraphLayout Of(PipelineGraph graph, GraphFacts facts, Func<GraphNodeKind, string, string?> link)
    {
        var nodes = new Dictionary<string, GraphNode>(StringComparer.Ordinal);
        void Add(GraphNodeKind kind, string name, string css, NodeFacts? known, string detail)
        {
            var key = Key(kind, name);
            if (!nodes.ContainsKey(key))
                nodes[key] = new GraphNode(kind, name, $"{css} {known?.Css}".Trim(), link(kind, name), known?.Detail ?? detail, known?.Why, nodes.Count);
        }
        foreach (var r in graph.Resources)
            Add(GraphNodeKind.Resource, r.Name, "resource", facts.Resources.GetValueOrDefault(r.Name), r.Type);
        foreach (var j in graph.Jobs)
            Add(GraphNodeKind.Job, j.Name, "job", facts.Jobs.GetValueOrDefault(j.Name) ?? new NodeFacts("pending", "no build yet", null), "");
        foreach (var e in graph.Environments)
            Add(GraphNodeKind.Environment, e.Name, "environment", facts.Environments.GetValueOrDefault(e.Name), "no release");
        // The environments a for_each made, one per branch: not in the config, only in the store.
        var branches = facts.Environments.Where(e => e.Value.ForEach is not null && graph.Environments.All(d => d.Name != e.Key))
            .OrderBy(e => e.Key, StringComparer.Ordinal).ToList();
        foreach (var (name, known) in branches)
            Add(GraphNodeKind.Environment, name, "environment branch", known, "no release");

        var edges = EdgesOf(graph, branches.Select(b => (b.Key, b.Value.ForEach!)));
        edges.RemoveAll(e => !nodes.ContainsKey(e.From) || !nodes.ContainsKey(e.To) || e.From == e.To);

        var placement = GraphLayers.Place([.. nodes.Keys], [.. edges.Select(e => (e.From, e.To))]);
        var width = placement.Layers == 0 ? 0 : Margin * 2 + placement.Layers * (NodeWidth + ColumnGap) - ColumnGap;
        var placed = nodes.Select(kv => Place(kv.Value, placement.Layer[kv.Key], placement.Row[kv.Key], width)).ToList();
        var byKey = placed.ToDictionary(n => Key(n.Kind, n.Name), StringComparer.Ordinal);
        var drawn = edges.Select(e => new GraphEdge(Path(byKey[e.From], byKey[e.To]), e.Css, e.Label, byKey[e.From].Name, byKey[e.To].Name)).ToList();
        var bottom = placed.Count == 0 ? 0 : placed.Max(n => n.Y + NodeHeight + (n.Tip.Count == 0 ? 0 : 4 + TipHeight(n.Tip)));
        return new GraphLayout
        {
            // Bottom row first: a node's tooltip, drawn under it, then lies over the nodes below it.
            Nodes = [.. placed.OrderByDescending(n => n.Y).ThenBy(n => n.X)],
            Edges = drawn,
            Width = width,
            Height = placed.Count == 0 ? 0 : bottom + Margin,
        };
    }

    private static List<(string From, string To, string Css, string? Label)> EdgesOf(PipelineGraph graph, IEnumerable<(string Name, string ForEach)> branches)
    {
        var edges = new List<(string From, string To, string Css, string? Label)>();
        var jobNames = graph.Jobs.Select(j => j.Name).ToHashSet(StringComparer.Ordinal);
        var envNames = graph.Environments.Select(e => e.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var job in graph.Jobs)
        {
            var passedResources = graph.PassedEdges.Where(p => p.To == job.Name).Select(p => p.Resource).ToHashSet(StringComparer.Ordinal);
            // A version that must pass another job first arrives through that job's edge, not from the resource.
            foreach (var input in job.Inputs.Where(i => !passedResources.Contains(i)))
                edges.Add((Key(GraphNodeKind.Resource, input), Key(GraphNodeKind.Job, job.Name), "edge input", null));
            foreach (var output in job.Outputs)
                edges.Add((Key(GraphNodeKind.Job, job.Name), Key(GraphNodeKind.Resource, output), "edge output", null));
        }
        foreach (var p in graph.PassedEdges)
            edges.Add((Key(GraphNodeKind.Job, p.From), Key(GraphNodeKind.Job, p.To), "edge passed", p.Resource));
        foreach (var env in graph.Environments)
        {
            foreach (var from in env.From)
            {
                if (envNames.Contains(from))
                    edges.Add((Key(GraphNodeKind.Environment, from), Key(GraphNodeKind.Environment, env.Name), "edge release", null));
                else if (jobNames.Contains(from))
                    edges.Add((Key(GraphNodeKind.Job, from), Key(GraphNodeKind.Environment, env.Name), "edge release", null));
            }
        }
        // A for_each declaration and each environment made from it take their releases from the resource's branches.
        foreach (var env in graph.Environments.Where(e => e.ForEach is not null))
            edges.Add((Key(GraphNodeKind.Resource, env.ForEach!), Key(GraphNodeKind.Environment, env.Name), "edge for-each", "for_each"));
        foreach (var (name, forEach) in branches)
            edges.Add((Key(GraphNodeKind.Resource, forEach), Key(GraphNodeKind.Environment, name), "edge for-each", "for_each"));
        return edges;
    }

    private static string Key(GraphNodeKind kind, string name) => $"{kind}:{name}";

    private static GraphNode Place(GraphNode node, int layer, int row, int width)
    {
        var x = Margin + layer * (NodeWidth + ColumnGap);
        // The tooltip starts under the node, moved left where it would run past the drawing's right edge.
        var tipX = Math.Min(0, width - Margin - x - TipWidth);
        return node with { X = x, Y = Margin + row * (NodeHeight + RowGap), TipX = Math.Max(tipX, Margin - x), Tip = Wrap(node.Why) };
    }

    public static int TipHeight(IReadOnlyList<string> lines) => lines.Count * TipLineHeight + 10;

    /// <summary>The text in lines that fit the tooltip, cut with an ellipsis after the last line that fits.</summary>
    internal static IReadOnlyList<string> Wrap(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return [];
        var lines = new List<string>();
        var line = "";
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var piece = word.Length > TipColumns ? word[..(TipColumns - 1)] + "…" : word;
            if (line.Length > 0 && line.Length + 1 + piece.Length > TipColumns)
            {
                lines.Add(line);
                line = "";
            }
            line = line.Length == 0 ? piece : line + " " + piece;
        }
        lines.Add(line);
        if (lines.Count <= TipMaxLines)
            return lines;
        var last = lines[TipMaxLines - 1];
        return [.. lines.Take(TipMaxLines - 1), (last.Length > TipColumns - 1 ? last[..(TipColumns - 1)] : last) + "…"];
    }

    private static string Path(GraphNode from, GraphNode to)
    {
        double x1 = from.X + NodeWidth, y1 = from.Y + NodeHeight / 2.0, x2 = to.X, y2 = to.Y + NodeHeight / 2.0;
        if (x2 <= x1)
        {
            // Backwards (a cycle: a job putting what an earlier job gets): loop under the nodes.
            var below = Math.Max(from.Y, to.Y) + NodeHeight + RowGap / 2.0;
            return F($"M{x1},{y1} C{x1 + 30},{y1} {x1 + 30},{below} {x1},{below} L{x2},{below} C{x2 - 30},{below} {x2 - 30},{y2} {x2},{y2}");
        }
        var bend = (x2 - x1) / 2;
        return F($"M{x1},{y1} C{x1 + bend},{y1} {x2 - bend},{y2} {x2},{y2}");
    }

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

internal enum GraphNodeKind
{
    Resource,
    Job,
    Environment,
}

/// <param name="Detail">The second line: a job's newest build, an environment's release and status, a resource's type.</param>
/// <param name="Why">What the node waits for (the explain answer); null when there is nothing to say.</param>
/// <param name="Index">Unique in the drawing: element ids are made from it (names may hold any character).</param>
internal sealed record GraphNode(GraphNodeKind Kind, string Name, string Css, string? Href, string Detail, string? Why, int Index)
{
    public int X { get; init; }
    public int Y { get; init; }
    /// <summary>The tooltip's left edge, relative to the node.</summary>
    public int TipX { get; init; }
    public IReadOnlyList<string> Tip { get; init; } = [];
}

internal sealed record GraphEdge(string Path, string Css, string? Label, string From, string To);
