using System.Text.Json.Nodes;

namespace Ferry.Core.Flows;

/// <summary>What changed from one set of Node-RED flows to another, grouped by the tab or subflow the nodes are on.</summary>
/// <param name="Groups">The tabs, subflows and the global configuration with a change, in the order the newer flows list them.</param>
/// <param name="EnvKeysAdded">Environment variable keys (of tabs, subflows, groups and the global config) only the newer flows have.</param>
/// <param name="EnvKeysRemoved">Keys only the older flows have.</param>
public sealed record FlowDiff(IReadOnlyList<FlowGroupDiff> Groups, IReadOnlyList<string> EnvKeysAdded, IReadOnlyList<string> EnvKeysRemoved)
{
    public bool IsEmpty => Groups.Count == 0 && EnvKeysAdded.Count == 0 && EnvKeysRemoved.Count == 0;

    public int Added => Groups.Sum(g => g.Added.Count);

    public int Removed => Groups.Sum(g => g.Removed.Count);

    public int Changed => Groups.Sum(g => g.Changed.Count);

    /// <summary>"3 added, 1 removed, 2 changed" (or "no change").</summary>
    public string Summary => IsEmpty ? "no change" : $"{Added} added, {Removed} removed, {Changed} changed";

    /// <summary>
    /// Compares <paramref name="before"/> with <paramref name="after"/> node by node, matched by id. A node counts as
    /// changed when any of its properties differs, position included (Node-RED redeploys a moved node too); the tab or
    /// subflow node itself is listed in its own group.
    /// </summary>
    public static FlowDiff Between(JsonArray before, JsonArray after)
    {
        var old = FlowNodes.ById(before);
        var @new = FlowNodes.ById(after);
        var groups = new Dictionary<string, GroupBuilder>(StringComparer.Ordinal);
        var order = new List<string>();

        GroupBuilder GroupOf(JsonObject node, Dictionary<string, JsonObject> holders)
        {
            var key = FlowNodes.GroupKey(node);
            if (!groups.TryGetValue(key, out var group))
            {
                var holder = key.Length == 0 ? null : holders.GetValueOrDefault(key) ?? (holders == @new ? old : @new).GetValueOrDefault(key);
                group = new GroupBuilder(key, holder is null ? FlowNodes.GlobalLabel : FlowNodes.Label(holder), holder is null ? "global" : FlowNodes.TypeOf(holder) ?? "tab");
                groups[key] = group;
                order.Add(key);
            }
            return group;
        }

        foreach (var (id, node) in @new)
        {
            if (!old.TryGetValue(id, out var previous))
            {
                GroupOf(node, @new).Added.Add(FlowNodes.Change(node, []));
                continue;
            }
            var properties = ChangedProperties(previous, node);
            if (properties.Count > 0)
                GroupOf(node, @new).Changed.Add(FlowNodes.Change(node, properties));
        }
        foreach (var (id, node) in old)
        {
            if (!@new.ContainsKey(id))
                GroupOf(node, old).Removed.Add(FlowNodes.Change(node, []));
        }

        var oldKeys = FlowNodes.EnvKeys(before);
        var newKeys = FlowNodes.EnvKeys(after);
        return new FlowDiff(
            [.. order.Select(k => groups[k].Build(old.ContainsKey(k), @new.ContainsKey(k)))],
            [.. newKeys.Except(oldKeys).Order(StringComparer.Ordinal)],
            [.. oldKeys.Except(newKeys).Order(StringComparer.Ordinal)]);
    }

    private static List<string> ChangedProperties(JsonObject before, JsonObject after) =>
    [
        .. after.Select(p => p.Key).Union(before.Select(p => p.Key))
            .Where(key => !JsonNode.DeepEquals(before[key], after[key]))
            .Order(StringComparer.Ordinal),
    ];

    private sealed class GroupBuilder(string id, string label, string kind)
    {
        public List<FlowNodeChange> Added { get; } = [];

        public List<FlowNodeChange> Removed { get; } = [];

        public List<FlowNodeChange> Changed { get; } = [];

        public FlowGroupDiff Build(bool wasThere, bool isThere) => new(id, label, kind,
            id.Length == 0 || (wasThere && isThere) ? FlowGroupStatus.Changed : isThere ? FlowGroupStatus.Added : FlowGroupStatus.Removed,
            Added, Removed, Changed);
    }
}

/// <summary>Whether a whole tab or subflow arrives or goes, or only some of its nodes change.</summary>
public enum FlowGroupStatus
{
    Changed,
    Added,
    Removed,
}

/// <summary>The changes on one tab or subflow (<paramref name="Kind"/> <c>tab</c>, <c>subflow</c>), or of the config
/// nodes that belong to none (<paramref name="Id"/> empty, <paramref name="Kind"/> <c>global</c>).</summary>
public sealed record FlowGroupDiff(
    string Id,
    string Label,
    string Kind,
    FlowGroupStatus Status,
    IReadOnlyList<FlowNodeChange> Added,
    IReadOnlyList<FlowNodeChange> Removed,
    IReadOnlyList<FlowNodeChange> Changed);

/// <summary>A node added, removed or changed; <paramref name="Properties"/> names what changed (sorted), empty otherwise.</summary>
public sealed record FlowNodeChange(string Id, string Type, string? Name, IReadOnlyList<string> Properties);
