using System.Text.Json.Nodes;

namespace Ferry.Core.Flows;

/// <summary>
/// Flows as drift sees them: environment values and their types removed, keys kept. Values belong to the instance
/// (Ferry keeps the target's own when it deploys), so an instance whose only change is a value has not drifted.
/// </summary>
public static class FlowShape
{
    public static JsonArray Of(JsonArray flows)
    {
        var shape = (JsonArray)flows.DeepClone();
        foreach (var node in shape.OfType<JsonObject>().Where(FlowNodes.HoldsEnv))
        {
            if (node["env"] is JsonArray env)
                node["env"] = new JsonArray([.. env.OfType<JsonObject>().Select(e => (JsonNode)new JsonObject { ["name"] = e["name"]?.DeepClone() })]);
        }
        return shape;
    }

    /// <summary>A short sentence of what changed, by tab: "tab Flow 1: 1 changed (debug 'out': name)".</summary>
    public static string Describe(FlowDiff diff, int limit = 3)
    {
        if (diff.IsEmpty)
            return "no change";
        var parts = diff.Groups.Take(limit).Select(g =>
        {
            var nodes = g.Added.Select(n => Node("added", n)).Concat(g.Removed.Select(n => Node("removed", n))).Concat(g.Changed.Select(n => Node("changed", n)));
            return $"{g.Kind} {g.Label}: {string.Join(", ", nodes.Take(limit))}" + (g.Added.Count + g.Removed.Count + g.Changed.Count > limit ? ", …" : "");
        }).ToList();
        if (diff.EnvKeysAdded.Count > 0)
            parts.Add("env keys added: " + string.Join(", ", diff.EnvKeysAdded));
        if (diff.EnvKeysRemoved.Count > 0)
            parts.Add("env keys removed: " + string.Join(", ", diff.EnvKeysRemoved));
        return string.Join("; ", parts) + (diff.Groups.Count > limit ? $"; {diff.Groups.Count - limit} more tabs" : "");
    }

    private static string Node(string what, FlowNodeChange n) =>
        $"{n.Type}{(string.IsNullOrEmpty(n.Name) ? "" : $" '{n.Name}'")} {what}" + (n.Properties.Count > 0 ? $" ({string.Join(", ", n.Properties)})" : "");
}
