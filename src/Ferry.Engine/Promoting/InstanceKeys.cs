using System.Text.Json.Nodes;
using Ferry.Engine.Resources.NodeRed;

namespace Ferry.Engine.Promoting;

/// <summary>
/// The environment variable keys a release's flows bring into a Node-RED instance an environment is bound to, and
/// which of them would have a value there: the put's own carrying of values (<see cref="FlowEnv.Carry"/>) applied to
/// what the instance runs now. A key that arrives empty is one the preview shows without a value.
/// </summary>
internal static class InstanceKeys
{
    public static async Task<(IReadOnlyList<string> Keys, IReadOnlySet<string> WithValue)> ReadAsync(InstanceRelease? bound,
        CancellationToken cancellationToken)
    {
        if (bound is null || await bound.TargetFlowsAsync(cancellationToken) is not { } target)
            return ([], new HashSet<string>());
        var carried = FlowEnv.Carry(bound.Flows, target.Flows, bound.EnvKeys).OfType<JsonObject>().Where(FlowEnv.Holds)
            .SelectMany(n => n["env"] as JsonArray ?? []).OfType<JsonObject>()
            .Select(e => (Name: (string?)e["name"], Empty: e["value"] is not JsonValue v || (v.TryGetValue<string>(out var s) && s.Length == 0)))
            .Where(e => e.Name is not null).ToList();
        var keys = carried.Select(e => e.Name!).Distinct(StringComparer.Ordinal).ToList();
        return (keys, keys.Where(k => carried.Where(e => e.Name == k).All(e => !e.Empty)).ToHashSet(StringComparer.Ordinal));
    }
}
