using Ferry.Core.Promotion;
using Ferry.Engine.Resources.NodeRed;

namespace Ferry.Engine.Promoting;

/// <summary>
/// The node modules a release's flows use that the Node-RED instance an environment is bound to lacks, named by
/// the node list recorded with the release's snapshot. The put refuses such a release; the preview says why first.
/// </summary>
internal static class InstanceModules
{
    public static async Task<IReadOnlyList<MissingModule>> ReadAsync(InstanceRelease? bound, CancellationToken cancellationToken)
    {
        // An instance not answering shows no modules here; the put itself then fails naming it.
        if (bound is null || await bound.AskAsync((admin, ct) => admin.GetNodesAsync(ct), cancellationToken) is not { } target)
            return [];
        var sourceNodes = await bound.Cache.TryLoadNodesAsync(bound.Hash, cancellationToken) is { } sets ? NodeModules.Parse(sets) : null;
        return NodeModules.Missing(bound.Flows, sourceNodes, NodeModules.Parse(target));
    }
}
