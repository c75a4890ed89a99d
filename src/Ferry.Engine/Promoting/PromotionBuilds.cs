using System.Globalization;
using Ferry.Core.Plans;
using Ferry.Core.Promotion;
using Ferry.Engine.Pipelines;
using Ferry.Storage;

namespace Ferry.Engine.Promoting;

/// <summary>
/// What a promotion's (or a teardown's) build needs beyond its plan: the environment's variables for its tasks. The
/// runner does not touch the promotion itself: the build announces verify in an event, and the promoter reads it.
/// </summary>
/// <param name="Secrets">Secret values among <paramref name="Environment"/>, redacted from the build's log.</param>
public sealed record PromotionBuildContext(IReadOnlyDictionary<string, string> Environment, IReadOnlyCollection<string> Secrets);

/// <summary>The runner's view of builds that belong to an environment (a plan holding a <see cref="PromotionPlan"/> or a <see cref="TeardownPlan"/>).</summary>
public sealed class PromotionBuilds(IStore store, PipelineConfigs configs)
{
    /// <returns>Null for a build of a job.</returns>
    public async Task<PromotionBuildContext?> ContextAsync(BuildRecord build, PlanNode plan, CancellationToken cancellationToken)
    {
        if (build.PipelineId is not { } pipelineId)
            return null;
        var promotion = plan.Descendants().OfType<PromotionPlan>().FirstOrDefault();
        var teardown = plan.Descendants().OfType<TeardownPlan>().FirstOrDefault();
        var name = promotion?.Environment ?? teardown?.Environment;
        if (name is null)
            return null;
        var config = await configs.CurrentAsync(pipelineId, cancellationToken);
        var declared = config is null ? null : config.FindEnvironment(name) ?? PullRequestEnvironments.DeclarationOf(config, name);
        var record = await store.GetEnvironmentAsync(pipelineId, name, cancellationToken);
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        if (declared is not null)
        {
            foreach (var (key, value) in PipelineEnvironments.Values(declared))
                environment[key] = value;
        }
        var secrets = new List<string>();
        if (record is not null)
        {
            var values = await store.GetVariableValuesAsync(record.Id, cancellationToken);
            var secretNames = (await store.ListVariablesAsync(record.Id, cancellationToken)).Where(v => v.Secret).Select(v => v.Name).ToHashSet();
            foreach (var (key, value) in values)
            {
                environment[key] = value;
                if (secretNames.Contains(key) && value.Length > 0)
                    secrets.Add(value);
            }
        }
        environment["FERRY_PIPELINE"] = build.PipelineName ?? "";
        environment["FERRY_ENVIRONMENT"] = name;
        if ((promotion?.Release ?? teardown?.Release) is { } release)
            environment["FERRY_RELEASE"] = release;
        if (promotion is not null)
            environment["FERRY_PROMOTION_ID"] = promotion.PromotionId.ToString(CultureInfo.InvariantCulture);
        return new PromotionBuildContext(environment, secrets);
    }
}
