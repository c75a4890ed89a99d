using System.Globalization;
using Ferry.Core.Pipelines.Graph;

namespace Ferry.Server.Ui.Pipelines;

/// <summary>
/// Places a pipeline's graph in columns, left to right as versions flow: resources, the jobs that get them, jobs
/// after the jobs they pass through, resources they put, then the environments in their chain. Rows within a column
/// follow the mean row of what feeds them, which keeps most edges short and uncrossed.
/// </summary>
internal sealed class GraphLayout
{
    public const int NodeWidth = 170;
    public const int NodeHeight = 34;
    private const int ColumnGap = 70;
    private const int RowGap = 16;
    private const int Margin = 12;

    public required IReadOnlyList<GraphNode> Nodes { get; init; }
    public required IReadOnlyList<GraphEdge> Edges { get; init; }
    public int Width { get; init; }
    public int Height { get; init; }

    public static GraphLayout Of(PipelineGraph graph, IReadOnlyDictionary<string, string> jobClasses, Func<GraphNodeKind, string, string?> link)
    {
        var nodes = new Dictionary<string, GraphNode>(StringComparer.Ordinal);
        void Add(GraphNodeKind kind, string name, string css) =>
            nodes.TryAdd(Key(kind, name), new GraphNode(kind, name, css, link(kind, name)));
        foreach (var r in graph.Resources)
            Add(GraphNodeKind.Resource, r.Name, "resource");
        foreach (var j in graph.Jobs)
            Add(GraphNodeKind.Job, j.Name, "job " + jobClasses.GetValueOrDefault(j.Name, "pending"));
        foreach (var e in graph.Environments)
            Add(GraphNodeKind.Environment, e.Name, "environment");

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
        edges.RemoveAll(e => !nodes.ContainsKey(e.From) || !nodes.ContainsKey(e.To) || e.From == e.To);

        var columns = Columns(nodes.Keys.ToList(), edges.Select(e => (e.From, e.To)).ToList());
        var rows = Rows(nodes.Keys.ToList(), columns, edges.Select(e => (e.From, e.To)).ToList());
        var placed = nodes.Values.Select(n =>
        {
            var key = Key(n.Kind, n.Name);
            return n with
            {
                X = Margin + columns[key] * (NodeWidth + ColumnGap),
                Y = Margin + rows[key] * (NodeHeight + RowGap),
            };
        }).ToList();
        var byKey = placed.ToDictionary(n => Key(n.Kind, n.Name), StringComparer.Ordinal);
        var drawn = edges.Select(e => new GraphEdge(Path(byKey[e.From], byKey[e.To]), e.Css, e.Label, byKey[e.From].Name, byKey[e.To].Name)).ToList();
        return new GraphLayout
        {
            Nodes = placed,
            Edges = drawn,
            Width = placed.Count == 0 ? 0 : placed.Max(n => n.X) + NodeWidth + Margin,
            Height = placed.Count == 0 ? 0 : placed.Max(n => n.Y) + NodeHeight + Margin,
        };
    }

    private static string Key(GraphNodeKind kind, string name) => $"{kind}:{name}";

    /// <summary>Longest path from a source; an edge that would close a cycle (a job putting what it gets) is ignored.</summary>
    private static Dictionary<string, int> Columns(List<string> nodes, List<(string From, string To)> edges)
    {
        var column = nodes.ToDictionary(n => n, _ => 0, StringComparer.Ordinal);
        for (var pass = 0; pass < nodes.Count; pass++)
        {
            var moved = false;
            foreach (var (from, to) in edges)
            {
                if (column[to] <= column[from] && column[from] + 1 < nodes.Count)
                {
                    column[to] = column[from] + 1;
                    moved = true;
                }
            }
            if (!moved)
                break;
        }
        // Pull a resource next to the first job that gets it, so inputs do not all stack in column 0.
        foreach (var node in nodes.Where(n => n.StartsWith("Resource:", StringComparison.Ordinal)))
        {
            var consumers = edges.Where(e => e.From == node).Select(e => column[e.To]).ToList();
            var producers = edges.Where(e => e.To == node).ToList();
            if (producers.Count == 0 && consumers.Count > 0)
                column[node] = Math.Max(0, consumers.Min() - 1);
        }
        return column;
    }

    private static Dictionary<string, int> Rows(List<string> nodes, Dictionary<string, int> columns, List<(string From, string To)> edges)
    {
        var row = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var group in nodes.GroupBy(n => columns[n]).OrderBy(g => g.Key))
        {
            var ordered = group
                .Select((n, i) => (Node: n, Index: i, Mean: edges.Where(e => e.To == n && row.ContainsKey(e.From)).Select(e => (double)row[e.From]).DefaultIfEmpty(double.NaN).Average()))
                .OrderBy(x => double.IsNaN(x.Mean) ? double.MaxValue : x.Mean)
                .ThenBy(x => x.Index)
                .ToList();
            var next = 0;
            foreach (var (node, _, mean) in ordered)
            {
                // Sit level with what feeds the node when that row is free, so a straight chain draws straight.
                var wanted = double.IsNaN(mean) ? next : Math.Max(next, (int)Math.Round(mean));
                row[node] = wanted;
                next = wanted + 1;
            }
        }
        return row;
    }

    private static string Path(GraphNode from, GraphNode to)
    {
        double x1 = from.X + NodeWidth, y1 = from.Y + NodeHeight / 2.0, x2 = to.X, y2 = to.Y + NodeHeight / 2.0;
        if (x2 <= x1)
        {
            // Backwards (same column or a cycle): loop under the nodes.
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

internal sealed record GraphNode(GraphNodeKind Kind, string Name, string Css, string? Href)
{
    public int X { get; init; }
    public int Y { get; init; }
}

internal sealed record GraphEdge(string Path, string Css, string? Label, string From, string To);
