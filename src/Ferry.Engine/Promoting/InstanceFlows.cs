using Ferry.Core.Flows;
using Ferry.Core.Pipelines;
using Ferry.Core.Promotion;
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
    public static async Task<FlowDiff?> DiffAsync(PipelineConfig config, EnvironmentConfig environment, Release release, string resourceCache,
        CancellationToken cancellationToken)
    {
        if (await InstanceRelease.OfAsync(config, environment, release, resourceCache, cancellationToken) is not { } bound
            || await bound.AskAsync((admin, ct) => admin.GetFlowsAsync(ct), cancellationToken) is not { } target)
            return null;
        return FlowDiff.Between(target.Flows, FlowEnv.Carry(bound.Flows, target.Flows, environment.EnvKeys));
    }
}
