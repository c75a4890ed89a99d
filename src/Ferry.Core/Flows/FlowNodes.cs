using System.Text.Json.Nodes;

namespace Ferry.Core.Flows;

/// <summary>
/// Reading Node-RED's flow JSON: every node is an object with <c>id</c> and <c>type</c>; a node on a tab or in a
/// subflow names it in <c>z</c>; config nodes shared by all tabs have no <c>z</c>.
/// </summary>
public static class FlowNodes
{
    public const string GlobalLabel = "Global configuration";

    private static readonly HashSet<string> EnvHolders = ["tab", "subflow", "group", "global-config"];

    public static string? TypeOf(JsonObject node) => Text(node, "type");

    public static string? IdOf(JsonObject node) => Text(node, "id");

    /// <summary>The nodes by id; a node without an id, or a second one with the same id, is left out.</summary>
    public static Dictionary<string, JsonObject> ById(JsonArray flows)
    {
        var nodes = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var node in flows.OfType<JsonObject>())
        {
            if (IdOf(node) is { } id)
                nodes.TryAdd(id, node);
        }
        return nodes;
    }

    /// <summary>The tab or subflow a node belongs to: its own id for a tab or subflow, its <c>z</c> otherwise, empty for global config nodes.</summary>
    public static string GroupKey(JsonObject node) =>
        TypeOf(node) is "tab" or "subflow" ? IdOf(node) ?? "" : Text(node, "z") ?? "";

    /// <summary>A tab's <c>label</c>, a subflow's or node's <c>name</c>, else its type and id.</summary>
    public static string Label(JsonObject node) =>
        Text(node, "label") is { Length: > 0 } label ? label
        : Text(node, "name") is { Length: > 0 } name ? name
        : $"{TypeOf(node)} {IdOf(node)}";

    /// <summary>Whether the node can hold environment variables (<c>env: [{name, value, type}]</c>): a tab, subflow, group or the global config.</summary>
    public static bool HoldsEnv(JsonObject node) => TypeOf(node) is { } type && EnvHolders.Contains(type);

    /// <summary>The environment variable keys of tabs, subflows, groups and the global config node.</summary>
    public static HashSet<string> EnvKeys(JsonArray flows) =>
    [
        .. flows.OfType<JsonObject>()
            .Where(HoldsEnv)
            .SelectMany(n => n["env"] as JsonArray ?? [])
            .OfType<JsonObject>()
            .Select(e => Text(e, "name"))
            .OfType<string>(),
    ];

    internal static FlowNodeChange Change(JsonObject node, IReadOnlyList<string> properties) =>
        new(IdOf(node) ?? "", TypeOf(node) ?? "", Text(node, "name") is { Length: > 0 } name ? name : Text(node, "label"), properties);

    /// <summary>A string property, or null when it is missing or not a string.</summary>
    public static string? Text(JsonObject node, string property) =>
        node[property] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
