using Ferry.Core.Builds;
using Ferry.Core.Plans;
using Ferry.Engine.Loops;
using Ferry.Engine.Pipelines;
using Ferry.Engine.Promoting;
using Ferry.Engine.Resources;
using Ferry.Storage;

namespace Ferry.Engine.Running;

/// <summary>What a claimed build needs to run, wherever it runs: its plan, the planned config's resource types, secrets to redact, a promotion's environment, metadata.</summary>
public sealed record BuildContext(
    PlanNode Plan,
    IReadOnlyList<ResourceTypeDeclaration> ResourceTypes,
    IReadOnlyCollection<string> Secrets,
    IReadOnlyDictionary<string, string> TaskEnvironment,
    IReadOnlyDictionary<string, string> Metadata);

/// <summary>
/// The two ends of a claimed build that are the servers' whichever worker runs it (the embedded one of
/// <see cref="RunnerLoop"/>, or a remote one over the worker API): what the build is given before it runs, and how its
/// end is recorded (the versions its puts made, its final status, and the loops woken for what follows).
/// </summary>
public sealed class BuildHandoff(IStore store, PipelineConfigs configs, PromotionBuilds promotions, EngineDirectories directories, LoopWaker waker, string externalUrl)
{
    public async Task<BuildContext> ContextAsync(BuildRecord build, CancellationToken cancellationToken)
    {
        var plan = PlanJson.Deserialize(build.PlanJson);
        // The config the plan was compiled from, not whatever was set since: its resource types and secrets.
        var planned = await store.GetBuildConfigNumberAsync(build.Id, cancellationToken);
        var config = build.PipelineId is { } pipelineId ? await configs.PlannedAsync(pipelineId, planned, cancellationToken) : null;
        var promotion = await promotions.ContextAsync(build, plan, cancellationToken);
        IReadOnlyCollection<string> secrets = build.PipelineId is { } id ? await configs.SecretValuesAsync(id, planned, cancellationToken) : [];
        return new BuildContext(
            plan,
            ResourceTypeDeclarations.Of(config),
            promotion is null ? secrets : [.. secrets, .. promotion.Secrets],
            promotion?.Environment ?? new Dictionary<string, string>(),
            new Dictionary<string, string>
            {
                ["BUILD_ID"] = build.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["BUILD_NAME"] = build.Name,
                ["BUILD_JOB_NAME"] = build.JobName ?? "",
                ["BUILD_PIPELINE_NAME"] = build.PipelineName ?? "",
                ["BUILD_TEAM_NAME"] = "main",
                ["ATC_EXTERNAL_URL"] = externalUrl,
            });
    }

    /// <summary>
    /// Saves the versions the build's puts made as outputs (and new versions of their resources), and a Node-RED
    /// instance's deploy from the snapshot its put kept in <see cref="EngineDirectories.ResourceCache"/> (so only
    /// embedded workers run such builds: <see cref="PlanPlacement.EmbeddedOnly"/>).
    /// </summary>
    public async Task RecordPutsAsync(BuildRecord build, IReadOnlyList<StepVersion> puts)
    {
        if (build.PipelineId is not { } pipelineId)
            return;
        foreach (var put in puts)
        {
            var resource = await store.GetResourceAsync(pipelineId, put.Resource, CancellationToken.None);
            if (resource is not null)
                await store.SaveBuildOutputAsync(build.Id, resource.Id, put.Version, CancellationToken.None);
        }
        if (puts.Any(p => p.Resource.StartsWith("instance(", StringComparison.Ordinal)))
            await new Instances.InstanceDeploys(store, directories.ResourceCache, TimeProvider.System)
                .RecordAsync(build, PlanJson.Deserialize(build.PlanJson), puts, CancellationToken.None);
    }

    /// <summary>The reason of an errored build, with the pipeline's secrets redacted (it is stored and shown outside the build's log).</summary>
    public async Task<string> RedactAsync(BuildRecord build, string text)
    {
        try
        {
            return build.PipelineId is { } id ? new Redactor(await configs.SecretValuesAsync(id, CancellationToken.None)).Redact(text) : text;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return $"the build errored; its error is not shown, as the pipeline's secrets could not be read to redact it ({e.GetType().Name})";
        }
    }

    /// <summary>Records the build's final status; the caller then <see cref="Wake"/>s the loops waiting on it.</summary>
    public Task<BuildRecord> FinishAsync(long buildId, BuildStatus status, string? reason) =>
        store.FinishBuildAsync(buildId, status, reason, CancellationToken.None);

    /// <summary>Wakes the loops a build's end concerns: promotions waiting on it, scheduling, and claims of the next build.</summary>
    public void Wake()
    {
        waker.Wake(LoopNames.Promoter);
        waker.Wake(LoopNames.Scheduler);
        waker.Wake(LoopNames.Runner);
    }
}
