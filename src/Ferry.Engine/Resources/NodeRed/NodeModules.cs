using System.Text.Json.Nodes;
using Ferry.Core.Flows;
using Ferry.Core.Promotion;

namespace Ferry.Engine.Resources.NodeRed;

/// <summary>A node set as <c>GET /nodes</c> lists it: one file of a module, with the node types it registers.</summary>
internal sealed record NodeSet(string Module, string? Version, IReadOnlyList<string> Types, bool Enabled);

/// <summary>
/// Which node modules flows need that an instance lacks. A type counts as present when one of the instance's
/// enabled node sets registers it; the module behind a missing type is read from the source instance's node list.
/// </summary>
internal static class NodeModules
{
    // Built into the flow model itself, not registered by any node set (or by every Node-RED alike).
    private static readonly HashSet<string> CoreTypes = ["tab", "subflow", "group", "junction", "comment", "unknown"];

    public static IReadOnlyList<NodeSet> Parse(JsonArray nodes) =>
    [
        .. nodes.OfType<JsonObject>().Select(n => new NodeSet(
            Text(n["module"]) ?? "",
            Text(n["version"]),
            [.. (n["types"] as JsonArray ?? []).Select(Text).OfType<string>()],
            n["enabled"] is not JsonValue enabled || !enabled.TryGetValue<bool>(out var on) || on)),
    ];

    /// <summary>The node types <paramref name="flows"/> use, core types and subflow instances left out, sorted.</summary>
    public static IReadOnlyList<string> TypesUsed(JsonArray flows) =>
    [
        .. flows.OfType<JsonObject>().Select(FlowNodes.TypeOf).OfType<string>()
            .Where(t => !CoreTypes.Contains(t) && !t.StartsWith("subflow:", StringComparison.Ordinal))
            .Distinct().Order(StringComparer.Ordinal),
    ];

    /// <param name="source">The source instance's node sets; null when unknown (modules are then not named).</param>
    public static IReadOnlyList<MissingModule> Missing(JsonArray flows, IReadOnlyList<NodeSet>? source, IReadOnlyList<NodeSet> target)
    {
        var present = target.Where(s => s.Enabled).SelectMany(s => s.Types).ToHashSet(StringComparer.Ordinal);
        var origin = new Dictionary<string, NodeSet>(StringComparer.Ordinal);
        foreach (var set in source ?? [])
        {
            foreach (var type in set.Types)
                origin.TryAdd(type, set);
        }
        return
        [
            .. TypesUsed(flows).Where(t => !present.Contains(t))
                .GroupBy(t => origin.GetValueOrDefault(t) is { } set ? (Module: (string?)set.Module, set.Version) : (null, null))
                .OrderBy(g => g.Key.Module is null).ThenBy(g => g.Key.Module, StringComparer.Ordinal)
                .Select(g => new MissingModule(g.Key.Module, g.Key.Version, [.. g])),
        ];
    }

    private static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
