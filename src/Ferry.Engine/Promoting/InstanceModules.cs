using System.Text.Json.Nodes;
using Ferry.Core.Pipelines;
using Ferry.Core.Promotion;
using Ferry.Engine.Resources;
using Ferry.Engine.Resources.NodeRed;

namespace Ferry.Engine.Promoting;

/// <summary>
/// The node modules a release's flows use that the Node-RED instance an environment is bound to lacks, named by
/// the node list recorded with the release's snapshot. The put refuses such a release; the preview says why first.
/// </summary>
internal static class InstanceModules
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public static async Task<IReadOnlyList<MissingModule>> ReadAsync(PipelineConfig config, EnvironmentConfig environment, Release release,
        string resourceCache, CancellationToken cancellationToken)
    {
        if (environment is not { Deploy.Count: 0, Instance: { IsInline: true, Type: NodeRedResourceType.TypeName, Source: { } source } })
            return [];
        var items = release.Items.Where(i => config.FindResource(i.Resource)?.Type == NodeRedResourceType.TypeName).ToList();
        var cache = new SnapshotCache(resourceCache);
        if (items is not [var item] || item.Version.GetValueOrDefault("snapshot") is not { } hash
            || await cache.TryLoadAsync(hash, cancellationToken) is not { } text || JsonNode.Parse(text) is not JsonArray flows)
            return [];
        var sourceNodes = await cache.TryLoadNodesAsync(hash, cancellationToken) is { } sets ? NodeModules.Parse(sets) : null;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(Timeout);
            var target = await new NodeRedAdmin(NodeRedSource.Parse(source)).GetNodesAsync(timeout.Token);
            return NodeModules.Missing(flows, sourceNodes, NodeModules.Parse(target));
        }
        catch (Exception e) when (e is ResourceException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // An instance not answering shows no modules here; the put itself then fails naming it.
            return [];
        }
    }
}
