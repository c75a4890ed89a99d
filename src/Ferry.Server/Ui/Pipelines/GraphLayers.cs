namespace Ferry.Server.Ui.Pipelines;

/// <summary>
/// Where each node of a directed graph goes in a left-to-right drawing (Sugiyama's steps, kept small): layers by the
/// longest path from a source, so every edge points right; a source sits just before its first successor, so inputs
/// do not all stack in the first column; nodes ordered within each layer by the barycentre of their neighbours,
/// sweeping right and left and keeping the order with the fewest crossings; then rows, level with what feeds a node
/// where there is room, but never more rows than the fullest layer needs.
/// </summary>
internal static class GraphLayers
{
    private const int Sweeps = 8;

    /// <param name="nodes">The nodes in a stable order (the config's): ties keep it.</param>
    /// <param name="edges">Edges between those nodes; one that closes a cycle is kept out of the layering.</param>
    public static Placement Place(IReadOnlyList<string> nodes, IReadOnlyList<(string From, string To)> edges)
    {
        var forward = Acyclic(nodes, edges);
        var layer = Layers(nodes, forward);
        var layers = nodes.GroupBy(n => layer[n]).OrderBy(g => g.Key).Select(g => g.ToList()).ToList();
        // Pulling sources right can empty a column: number the ones left without gaps.
        for (var i = 0; i < layers.Count; i++)
        {
            foreach (var n in layers[i])
                layer[n] = i;
        }
        var predecessors = nodes.ToDictionary(n => n, _ => new List<string>(), StringComparer.Ordinal);
        var successors = nodes.ToDictionary(n => n, _ => new List<string>(), StringComparer.Ordinal);
        foreach (var (from, to) in forward)
        {
            successors[from].Add(to);
            predecessors[to].Add(from);
        }
        Order(layers, predecessors, successors);
        var rows = Rows(layers, predecessors, successors);
        return new Placement(layer, rows, layers.Count == 0 ? 0 : layers.Max(l => l.Count), layers.Count);
    }

    /// <summary>The edges without those that close a cycle (found by a depth-first walk in the nodes' order).</summary>
    private static List<(string From, string To)> Acyclic(IReadOnlyList<string> nodes, IReadOnlyList<(string From, string To)> edges)
    {
        var outgoing = edges.Where(e => e.From != e.To).GroupBy(e => e.From, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(e => e.To).Distinct(StringComparer.Ordinal).ToList(), StringComparer.Ordinal);
        var state = new Dictionary<string, int>(StringComparer.Ordinal); // 1 on the walk's path, 2 done
        var kept = new List<(string, string)>();
        foreach (var start in nodes.Where(n => !state.ContainsKey(n)))
        {
            // Iterative, so a long chain (hundreds of jobs) cannot overflow the stack.
            var stack = new Stack<(string Node, int Next)>();
            stack.Push((start, 0));
            state[start] = 1;
            while (stack.Count > 0)
            {
                var (node, next) = stack.Pop();
                var targets = outgoing.GetValueOrDefault(node) ?? [];
                if (next >= targets.Count)
                {
                    state[node] = 2;
                    continue;
                }
                stack.Push((node, next + 1));
                var to = targets[next];
                if (state.GetValueOrDefault(to) == 1)
                    continue;
                kept.Add((node, to));
                if (!state.ContainsKey(to))
                {
                    state[to] = 1;
                    stack.Push((to, 0));
                }
            }
        }
        return kept;
    }

    private static Dictionary<string, int> Layers(IReadOnlyList<string> nodes, List<(string From, string To)> edges)
    {
        var layer = nodes.ToDictionary(n => n, _ => 0, StringComparer.Ordinal);
        var incoming = nodes.ToDictionary(n => n, _ => 0, StringComparer.Ordinal);
        foreach (var (_, to) in edges)
            incoming[to]++;
        var outgoing = edges.ToLookup(e => e.From, e => e.To, StringComparer.Ordinal);
        var ready = new Queue<string>(nodes.Where(n => incoming[n] == 0));
        var topological = new List<string>();
        while (ready.Count > 0)
        {
            var node = ready.Dequeue();
            topological.Add(node);
            foreach (var to in outgoing[node])
            {
                layer[to] = Math.Max(layer[to], layer[node] + 1);
                if (--incoming[to] == 0)
                    ready.Enqueue(to);
            }
        }
        // A source (a resource nobody puts) goes just before the first node that takes from it.
        foreach (var node in topological.Where(n => !edges.Any(e => e.To == n) && outgoing[n].Any()))
            layer[node] = outgoing[node].Min(to => layer[to]) - 1;
        return layer;
    }

    private static void Order(List<List<string>> layers, Dictionary<string, List<string>> predecessors, Dictionary<string, List<string>> successors)
    {
        var best = layers.Select(l => l.ToList()).ToList();
        var fewest = Crossings(layers, successors);
        for (var sweep = 0; sweep < Sweeps && fewest > 0; sweep++)
        {
            var right = sweep % 2 == 0;
            var indices = right ? Enumerable.Range(1, Math.Max(0, layers.Count - 1)) : Enumerable.Range(0, Math.Max(0, layers.Count - 1)).Reverse();
            foreach (var i in indices)
            {
                var position = Positions(layers);
                var neighbours = right ? predecessors : successors;
                var current = layers[i];
                // A node with no neighbours on that side keeps its place; the others move to their neighbours' mean place.
                layers[i] = [.. current.Select((n, at) => (Node: n, Key: neighbours[n].Count == 0 ? at : neighbours[n].Average(m => position[m])))
                    .OrderBy(x => x.Key).Select(x => x.Node)];
            }
            var crossings = Crossings(layers, successors);
            if (crossings < fewest)
            {
                fewest = crossings;
                best = layers.Select(l => l.ToList()).ToList();
            }
        }
        for (var i = 0; i < layers.Count; i++)
            layers[i] = best[i];
    }

    private static Dictionary<string, double> Positions(List<List<string>> layers)
    {
        var position = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var layer in layers)
        {
            // Scaled to the layer's middle, so a short layer's nodes compare with a long layer's.
            for (var i = 0; i < layer.Count; i++)
                position[layer[i]] = i - (layer.Count - 1) / 2.0;
        }
        return position;
    }

    /// <summary>Pairs of edges that cross, counted by the places of their ends.</summary>
    internal static int Crossings(List<List<string>> layers, Dictionary<string, List<string>> successors)
    {
        var position = Positions(layers);
        var layerOf = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < layers.Count; i++)
        {
            foreach (var n in layers[i])
                layerOf[n] = i;
        }
        var edges = successors.SelectMany(s => s.Value.Select(to => (From: s.Key, To: to))).ToList();
        var count = 0;
        for (var a = 0; a < edges.Count; a++)
        {
            for (var b = a + 1; b < edges.Count; b++)
            {
                var (e, f) = (edges[a], edges[b]);
                if (layerOf[e.From] != layerOf[f.From] || layerOf[e.To] != layerOf[f.To])
                    continue;
                if ((position[e.From] - position[f.From]) * (position[e.To] - position[f.To]) < 0)
                    count++;
            }
        }
        return count;
    }

    private static Dictionary<string, int> Rows(List<List<string>> layers, Dictionary<string, List<string>> predecessors, Dictionary<string, List<string>> successors)
    {
        var rows = new Dictionary<string, int>(StringComparer.Ordinal);
        var height = layers.Count == 0 ? 0 : layers.Max(l => l.Count);
        foreach (var layer in layers)
            Fit(layer, rows, height, n => predecessors[n]);
        // Sources placed before what they feed had nothing to be level with: now they have.
        foreach (var layer in layers)
        {
            if (layer.Any(n => predecessors[n].Count == 0 && successors[n].Count > 0))
                Fit(layer, rows, height, n => predecessors[n].Count == 0 ? successors[n] : [n]);
        }
        return rows;
    }

    /// <summary>Rows for one layer in its order: each as near its neighbours' mean row as the nodes before and after it allow.</summary>
    private static void Fit(List<string> layer, Dictionary<string, int> rows, int height, Func<string, List<string>> neighbours)
    {
        var placed = new int[layer.Count];
        for (var i = 0; i < layer.Count; i++)
        {
            var known = neighbours(layer[i]).Where(rows.ContainsKey).Select(n => (double)rows[n]).ToList();
            var wanted = known.Count == 0 ? 0 : (int)Math.Round(known.Average(), MidpointRounding.AwayFromZero);
            placed[i] = Math.Max(i == 0 ? 0 : placed[i - 1] + 1, wanted);
        }
        // Never below the fullest layer's last row: pull back from the end, keeping the order.
        for (var i = layer.Count - 1; i >= 0; i--)
        {
            var limit = i == layer.Count - 1 ? height - 1 : placed[i + 1] - 1;
            placed[i] = Math.Min(placed[i], limit);
            rows[layer[i]] = placed[i];
        }
    }
}

/// <param name="Layer">Each node's column, from 0.</param>
/// <param name="Row">Each node's row in its column, from 0; no two nodes of a column share one.</param>
/// <param name="Rows">How many rows the drawing needs: the fullest column's count.</param>
internal sealed record Placement(IReadOnlyDictionary<string, int> Layer, IReadOnlyDictionary<string, int> Row, int Rows, int Layers);
