using System.Text.Json.Nodes;
using Ferry.Core.Flows;
using Ferry.Core.Pipelines;
using Ferry.Core.Promotion;
using Ferry.Engine.Resources;
using Ferry.Engine.Resources.NodeRed;

namespace Ferry.Engine.Promoting;

/// <summary>
/// What a promotion would change in the flows of the Node-RED instance an environment is bound to: the instance's
/// flows now against the release's flows as the put would deploy them there, its own env values carried
/// (<see cref="FlowEnv.Carry"/>). The preview shows it by tab; null when the environment has no such instance, the
/// snapshot is not at hand, or the instance does not answer (the preview still shows versions and keys).
/// </summary>
internal static class InstanceFlows
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public static async Task<FlowDiff?> DiffAsync(PipelineConfig config, EnvironmentConfig environment, Release release, string resourceCache,
        CancellationToken cancellationToken)
    {
        if (environment is not { Deploy.Count: 0, Instance: { IsInline: true, Type: NodeRedResourceType.TypeName, Source: { } source } })
            return null;
        var items = release.Items.Where(i => config.FindResource(i.Resource)?.Type == NodeRedResourceType.TypeName).ToList();
        if (items is not [var item] || item.Version.GetValueOrDefault("snapshot") is not { } hash
            || await new SnapshotCache(resourceCache).TryLoadAsync(hash, cancellationToken) is not { } text || JsonNode.Parse(text) is not JsonArray flows)
            return null;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(Timeout);
            var target = await new NodeRedAdmin(NodeRedSource.Parse(source)).GetFlowsAsync(timeout.Token);
            return FlowDiff.Between(target.Flows, FlowEnv.Carry(flows, target.Flows, environment.EnvKeys));
        }
        catch (Exception e) when (e is ResourceException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return null;
        }
    }
}
