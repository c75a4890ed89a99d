namespace Ferry.Core.Validation;

internal static class Cycles
{
    /// <summary>Finds cycles in a directed graph without recursion; each cycle once, as a path that ends where it starts.</summary>
    public static List<List<string>> Find(IReadOnlyDictionary<string, List<string>> edges)
    {
        var cycles = new List<List<string>>();
        var state = new Dictionary<string, int>(StringComparer.Ordinal); // 1: on the path, 2: done
        foreach (var start in edges.Keys.Order(StringComparer.Ordinal))
        {
            if (state.ContainsKey(start))
            {
                continue;
            }
            var path = new List<string>();
            var stack = new Stack<(string Node, int Next)>();
            stack.Push((start, 0));
            state[start] = 1;
            path.Add(start);
            while (stack.Count > 0)
            {
                var (node, next) = stack.Pop();
                var targets = edges.TryGetValue(node, out var t) ? t : [];
                if (next >= targets.Count)
                {
                    state[node] = 2;
                    path.RemoveAt(path.Count - 1);
                    continue;
                }
                stack.Push((node, next + 1));
                var target = targets[next];
                if (!state.TryGetValue(target, out var s))
                {
                    state[target] = 1;
                    path.Add(target);
                    stack.Push((target, 0));
                }
                else if (s == 1)
                {
                    var cycle = path.Skip(path.IndexOf(target)).Append(target).ToList();
                    cycles.Add(cycle);
                }
            }
        }
        return cycles;
    }
}
