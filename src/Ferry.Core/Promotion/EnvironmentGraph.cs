namespace Ferry.Core.Promotion;

/// <summary>
/// One environment as promotion sees it: the environments it takes releases from (its upstream) and whether a release
/// must be verified in all of them or in any one (<c>from_policy: any</c>). No upstream environment: its releases come
/// from jobs (or an instance), it is a first environment.
/// </summary>
public sealed record EnvironmentNode(string Name, IReadOnlyList<string> Upstream, bool AnyUpstream = false)
{
    public bool IsFirst => Upstream.Count == 0;
}

/// <summary>
/// A pipeline's environments as a DAG. Construction refuses unknown upstream names and cycles, so every rule built on
/// it can trust that walking upstream ends.
/// </summary>
public sealed class EnvironmentGraph
{
    private readonly Dictionary<string, EnvironmentNode> _nodes;
    private readonly Dictionary<string, IReadOnlySet<string>> _ancestors = new(StringComparer.Ordinal);

    public EnvironmentGraph(IEnumerable<EnvironmentNode> nodes)
    {
        _nodes = new Dictionary<string, EnvironmentNode>(StringComparer.Ordinal);
        foreach (var node in nodes)
        {
            if (!_nodes.TryAdd(node.Name, node))
            {
                throw new ArgumentException($"environments: '{node.Name}' is declared twice");
            }
        }
        foreach (var node in _nodes.Values)
        {
            foreach (var upstream in node.Upstream)
            {
                if (!_nodes.ContainsKey(upstream))
                {
                    throw new ArgumentException($"environments.{node.Name}.from: no environment '{upstream}'");
                }
            }
        }
        Order = TopologicalOrder();
    }

    /// <summary>Upstream before downstream; among equals, declaration order.</summary>
    public IReadOnlyList<string> Order { get; }

    public IEnumerable<EnvironmentNode> Nodes => Order.Select(n => _nodes[n]);

    public bool Contains(string name) => _nodes.ContainsKey(name);

    public EnvironmentNode this[string name] => _nodes.TryGetValue(name, out var node)
        ? node
        : throw new KeyNotFoundException($"no environment '{name}' in this pipeline");

    /// <summary>Every environment upstream of <paramref name="name"/>, transitively.</summary>
    public IReadOnlySet<string> AncestorsOf(string name)
    {
        if (_ancestors.TryGetValue(name, out var known))
        {
            return known;
        }
        var result = new HashSet<string>(StringComparer.Ordinal);
        foreach (var upstream in this[name].Upstream)
        {
            result.Add(upstream);
            result.UnionWith(AncestorsOf(upstream));
        }
        _ancestors[name] = result;
        return result;
    }

    /// <summary>Environments that take releases from <paramref name="name"/>.</summary>
    public IEnumerable<EnvironmentNode> DownstreamOf(string name) => Nodes.Where(n => n.Upstream.Contains(name));

    private List<string> TopologicalOrder()
    {
        var order = new List<string>();
        var state = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var name in _nodes.Keys)
        {
            Visit(name, state, order, []);
        }
        return order;
    }

    private void Visit(string name, Dictionary<string, int> state, List<string> order, List<string> path)
    {
        if (state.TryGetValue(name, out var s))
        {
            if (s == 1)
            {
                var cycle = path.SkipWhile(p => p != name).Append(name);
                throw new ArgumentException($"environments: cycle {string.Join(" -> ", cycle)}");
            }
            return;
        }
        state[name] = 1;
        path.Add(name);
        foreach (var upstream in _nodes[name].Upstream)
        {
            Visit(upstream, state, order, path);
        }
        path.RemoveAt(path.Count - 1);
        state[name] = 2;
        order.Add(name);
    }
}
