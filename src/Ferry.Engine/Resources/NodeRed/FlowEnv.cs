using System.Text.Json.Nodes;
using Ferry.Core.Flows;
using Ferry.Core.Pipelines;

namespace Ferry.Engine.Resources.NodeRed;

/// <summary>
/// Environment variables in flows: the <c>env: [{name, value, type}]</c> arrays of tabs, subflows, groups and the
/// <c>global-config</c> node. Keys travel with flows; values stay with the instance they were set on.
/// </summary>
internal static class FlowEnv
{
    public static bool Holds(JsonObject node) => FlowNodes.HoldsEnv(node);

    public static IEnumerable<string> Keys(JsonObject node) =>
        Entries(node).Select(NameOf).OfType<string>();

    /// <summary>
    /// <paramref name="source"/>'s flows with environment values chosen per <paramref name="mode"/> against what
    /// <paramref name="target"/> runs now, matched by node id and key: keys-only keeps the target's entry (value and
    /// type) for a key it has and leaves a new key empty; merge gives a new key the source's value; none keeps the
    /// target's env arrays as they are (a node the target lacks gets none).
    /// </summary>
    public static JsonArray Carry(JsonArray source, JsonArray target, EnvKeysMode mode) =>
        CarryInPlace((JsonArray)source.DeepClone(), target, mode);

    /// <summary>
    /// <see cref="Carry"/> into <paramref name="flows"/> themselves, which the caller owns (the put's own parse of
    /// flows.json): only the env arrays change, and a thousand nodes are not copied to change a few tabs.
    /// </summary>
    public static JsonArray CarryInPlace(JsonArray flows, JsonArray target, EnvKeysMode mode)
    {
        var targetEnv = target.OfType<JsonObject>().Where(Holds)
            .Where(n => IdOf(n) is not null)
            .GroupBy(n => IdOf(n)!)
            .ToDictionary(g => g.Key, g => g.First()["env"] as JsonArray, StringComparer.Ordinal);
        foreach (var node in flows.OfType<JsonObject>().Where(Holds))
        {
            var theirs = IdOf(node) is { } id ? targetEnv.GetValueOrDefault(id) : null;
            if (mode == EnvKeysMode.None)
            {
                node.Remove("env");
                if (theirs is not null)
                    node["env"] = theirs.DeepClone();
                continue;
            }

            if (node["env"] is not JsonArray ours)
                continue;
            var carried = new JsonArray();
            foreach (var entry in ours.OfType<JsonObject>())
            {
                var name = NameOf(entry);
                var existing = name is null ? null : theirs?.OfType<JsonObject>().FirstOrDefault(e => NameOf(e) == name);
                carried.Add(existing?.DeepClone()
                    ?? (mode == EnvKeysMode.Merge || name is null
                        ? entry.DeepClone()
                        // An empty string: an empty num/bool/json would not parse when the flow starts.
                        : new JsonObject { ["name"] = name, ["value"] = "", ["type"] = "str" }));
            }
            node["env"] = carried;
        }
        return flows;
    }

    private static IEnumerable<JsonObject> Entries(JsonObject node) =>
        node["env"] is JsonArray env ? env.OfType<JsonObject>() : [];

    private static string? IdOf(JsonObject node) => FlowNodes.IdOf(node);

    private static string? NameOf(JsonObject entry) => FlowNodes.Text(entry, "name");
}
