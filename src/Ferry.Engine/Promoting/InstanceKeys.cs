using System.Text.Json.Nodes;
using Ferry.Core.Pipelines;
using Ferry.Core.Promotion;
using Ferry.Engine.Resources;
using Ferry.Engine.Resources.NodeRed;

namespace Ferry.Engine.Promoting;

/// <summary>
/// The environment variable keys a release's flows bring into a Node-RED instance an environment is bound to, and
/// which of them would have a value there: the put's own carrying of values (<see cref="FlowEnv.Carry"/>) applied to
/// what the instance runs now. A key that arrives empty is one the preview shows without a value.
/// </summary>
internal static class InstanceKeys
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public static async Task<(IReadOnlyList<string> Keys, IReadOnlySet<string> WithValue)> ReadAsync(PipelineConfig config, EnvironmentConfig environment,
        Release release, string resourceCache, CancellationToken cancellationToken)
    {
        var none = ((IReadOnlyList<string>)[], (IReadOnlySet<string>)new HashSet<string>());
        if (environment is not { Deploy.Count: 0, Instance: { IsInline: true, Type: NodeRedResourceType.TypeName, Source: { } source } })
            return none;
        var items = release.Items.Where(i => config.FindResource(i.Resource)?.Type == NodeRedResourceType.TypeName).ToList();
        if (items is not [var item] || item.Version.GetValueOrDefault("snapshot") is not { } hash
            || await new SnapshotCache(resourceCache).TryLoadAsync(hash, cancellationToken) is not { } text || JsonNode.Parse(text) is not JsonArray flows)
            return none;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(Timeout);
            // A source still holding a ((var)) fails to parse or to authenticate: the preview then shows no instance keys.
            var target = await new NodeRedAdmin(NodeRedSource.Parse(source)).GetFlowsAsync(timeout.Token);
            var carried = FlowEnv.Carry(flows, target.Flows, environment.EnvKeys).OfType<JsonObject>().Where(FlowEnv.Holds)
                .SelectMany(n => n["env"] as JsonArray ?? []).OfType<JsonObject>()
                .Select(e => (Name: (string?)e["name"], Empty: e["value"] is not JsonValue v || (v.TryGetValue<string>(out var s) && s.Length == 0)))
                .Where(e => e.Name is not null).ToList();
            var keys = carried.Select(e => e.Name!).Distinct(StringComparer.Ordinal).ToList();
            return (keys, keys.Where(k => carried.Where(e => e.Name == k).All(e => !e.Empty)).ToHashSet(StringComparer.Ordinal));
        }
        catch (Exception e) when (e is ResourceException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return none;
        }
    }
}
