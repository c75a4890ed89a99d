using Ferry.Core.Flows;
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
    public static async Task<FlowDiff?> DiffAsync(InstanceRelease? bound, CancellationToken cancellationToken) =>
        bound is not null && await bound.TargetFlowsAsync(cancellationToken) is { } target
            ? FlowDiff.Between(target.Flows, FlowEnv.Carry(bound.Flows, target.Flows, bound.EnvKeys))
            : null;
}
