using Ferry.Core.Planning;
using Ferry.Core.Plans;
using Ferry.Core.Promotion;
using Ferry.Engine.Loops;
using Ferry.Engine.Pipelines;
using Ferry.Storage;
using Microsoft.Extensions.Logging;

namespace Ferry.Engine.Promoting;

/// <summary>
/// The promoter: ends promotions whose build ended (and rolls back where <c>on_failure: rollback</c> asks), forms
/// releases from successful builds of first environments' jobs, promotes the newest eligible release into each
/// automatic environment, and starts every pending or approved promotion as a build (one at a time per environment).
/// </summary>
public sealed class PromoterLoop(
    IStore store, PipelineConfigs configs, EnvironmentSync sync, ReleaseFormer former, PullRequestEnvironments pullRequests, PromotionPreviews previews,
    LoopWaker waker, TimeProvider clock, ILogger<PromoterLoop> logger) : IBackgroundLoop
{
    private static readonly PromotionStatus[] Running = [PromotionStatus.Deploying, PromotionStatus.Verifying];
    private static readonly PromotionStatus[] Startable = [PromotionStatus.Pending, PromotionStatus.Approved];

    public string Name => LoopNames.Promoter;

    public TimeSpan Interval => TimeSpan.FromSeconds(2);

    public async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        await FinishAsync(cancellationToken);
        // A promotion someone just asked for starts before this pass forms releases and decides automatic promotions
        // in every pipeline: its push waits for no one else's work. What this pass promotes starts at its end.
        await StartAsync(cancellationToken);
        foreach (var pipeline in await store.ListPipelinesAsync(cancellationToken))
        {
            if (pipeline.Paused || pipeline.CurrentConfigNumber is null)
                continue;
            try
            {
                await PromoteAsync(pipeline, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError("promoting in pipeline {Pipeline} failed: {Message}", pipeline.Name, e.Message);
            }
        }
        await StartAsync(cancellationToken);
    }

    private async Task PromoteAsync(PipelineRecord pipeline, CancellationToken cancellationToken)
    {
        var scope = await PipelineScope.LoadAsync(store, configs, sync, pipeline, cancellationToken);
        await TearDownAsync(scope, cancellationToken);
        if (scope.Records.Count == 0)
            return;
        var first = scope.Settings.Values.Where(s => !s.IsTemplate && scope.Graph.Contains(s.Name) && scope.Graph[s.Name].IsFirst);
        foreach (var number in await former.FormAsync(pipeline, first, cancellationToken))
            logger.LogInformation("{Pipeline}: release {Release} formed", pipeline.Name, ReleaseName.Of(number));
        foreach (var instance in scope.Settings.Values.Where(s => s.Branch is not null))
        {
            if (await pullRequests.FormAsync(pipeline, instance, cancellationToken) is { IsNew: true } saved)
                logger.LogInformation("{Pipeline}: release {Release} formed from branch {Branch}", pipeline.Name, saved.Release.Name, instance.Branch);
        }
        var releases = await store.ListReleasesAsync(pipeline.Id, 200, cancellationToken);
        foreach (var record in scope.Records)
        {
            var settings = scope.Settings[record.Name];
            if (settings.IsTemplate || !settings.Policy.Auto)
                continue;
            var (target, _) = await AutoPromotion.DecideAsync(previews, scope, settings, record, releases, cancellationToken);
            if (target is null)
                continue;
            try
            {
                var created = await store.ChangeEnvironmentAsync(EnvironmentLoads.Of(settings, record, target.Number),
                    e => e.Promote(target.Number, PromotionTrigger.Auto, Actor.System, clock.GetUtcNow()), cancellationToken);
                logger.LogInformation("{Pipeline}: promotion {Promotion} of {Release} into {Environment} ({Status})",
                    pipeline.Name, created.Id, created.Release, record.Name, created.Status.ToText());
            }
            catch (PromotionRefusedException e)
            {
                logger.LogDebug("{Pipeline}: {Refusal}", pipeline.Name, e.Message);
            }
        }
    }

    /// <summary>Starts waiting promotions, oldest first; one environment runs one promotion at a time.</summary>
    private async Task StartAsync(CancellationToken cancellationToken)
    {
        var busy = (await store.ListPromotionsInStatusAsync(Running, 1000, cancellationToken)).Select(p => p.EnvironmentId).ToHashSet();
        var started = false;
        foreach (var promotion in await store.ListPromotionsInStatusAsync(Startable, 100, cancellationToken))
        {
            if (!busy.Add(promotion.EnvironmentId))
                continue;
            await using var held = await store.Locks.TryAcquireAsync($"promotion:{promotion.Id}", cancellationToken);
            if (held is null)
                continue;
            try
            {
                started |= await StartAsync(promotion, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError("starting promotion {Promotion} failed: {Message}", promotion.Id, e.Message);
            }
        }
        if (started)
            waker.Wake(LoopNames.Runner);
    }

    private async Task<bool> StartAsync(PromotionRecord promotion, CancellationToken cancellationToken)
    {
        var current = await store.GetPromotionAsync(promotion.Id, cancellationToken);
        if (current is null || !Startable.Contains(current.Status))
            return false;
        var pipeline = await store.GetPipelineByIdAsync(promotion.PipelineId, cancellationToken);
        var config = pipeline is null ? null : await configs.CurrentAsync(pipeline, cancellationToken);
        var release = await store.GetReleaseAsync(promotion.PipelineId, promotion.ReleaseNumber, cancellationToken);
        if (pipeline is null || config is null || release is null)
            return false;
        var settings = (await sync.SyncAsync(pipeline, config, cancellationToken)).Settings.GetValueOrDefault(promotion.Environment);
        if (settings is null)
        {
            await EndAsync(EnvironmentLoads.Gone(promotion.EnvironmentId, promotion.Environment), promotion.Id, PromotionStatus.Aborted,
                $"{promotion.Environment} is no longer in the pipeline's config", cancellationToken);
            return false;
        }
        var load = new EnvironmentLoad(promotion.EnvironmentId, settings.Policy);
        if ((await store.LoadEnvironmentAsync(load, cancellationToken)).CheckStart(promotion.Id) is not null)
            return false;
        PlanNode plan;
        try
        {
            plan = PromotionPlans.Compile(config, settings.Config, promotion.Id, release.Name, release.Content, settings.Name,
                await previews.Drifts.ExpectationAsync(promotion.EnvironmentId, current.Forced, cancellationToken));
        }
        catch (PlanCompileException e)
        {
            await EndAsync(load, promotion.Id, PromotionStatus.Errored, e.Message, cancellationToken);
            return false;
        }
        var build = await store.CreateBuildAsync(
            new NewBuild(pipeline.Id, null, PlanJson.Serialize(plan), [], [], CreatedBy: current.RequestedBy)
            {
                ConfigNumber = pipeline.CurrentConfigNumber,
                Name = $"{promotion.Environment} {release.Name} ({(promotion.Trigger == PromotionTrigger.Rollback ? "rollback" : "promotion")} {promotion.Id})",
            },
            cancellationToken);
        try
        {
            await store.ChangeEnvironmentAsync(load, e =>
            {
                e.Start(promotion.Id, build.Id);
                return true;
            }, cancellationToken);
        }
        catch (PromotionRefusedException)
        {
            // Another node started a promotion into the environment first: this build never runs.
            await store.RequestAbortAsync(build.Id, "the promotion could not start", CancellationToken.None);
            return false;
        }
        logger.LogInformation("{Pipeline}: promotion {Promotion} of {Release} into {Environment} runs as build {Build}",
            pipeline.Name, promotion.Id, release.Name, promotion.Environment, build.Id);
        return true;
    }

    private Task<Promotion?> EndAsync(EnvironmentLoad load, long promotionId, PromotionStatus outcome, string reason, CancellationToken cancellationToken) =>
        store.ChangeEnvironmentAsync(load, e => e.Finish(promotionId, outcome, reason, clock.GetUtcNow()), cancellationToken);

    /// <summary>
    /// Runs the <c>teardown:</c> of each per-pull-request environment whose branch is gone, as a build of its own, and
    /// marks every retired environment torn down (the store keeps the mark: a restart neither loses nor repeats it).
    /// </summary>
    private async Task TearDownAsync(PipelineScope scope, CancellationToken cancellationToken)
    {
        foreach (var retired in await store.ListRetiredEnvironmentsAsync(scope.Pipeline.Id, cancellationToken))
        {
            await using var held = await store.Locks.TryAcquireAsync($"teardown:{retired.Id}", cancellationToken);
            if (held is null)
                continue;
            var declaration = PullRequestEnvironments.DeclarationOf(scope.Config, retired.Name);
            var current = retired.CurrentRelease is { } number ? await store.GetReleaseAsync(scope.Pipeline.Id, number, cancellationToken) : null;
            var plan = declaration is null ? null : PromotionPlans.CompileTeardown(scope.Config, declaration, retired.Name, current?.Name, current?.Content);
            long? buildId = null;
            if (plan is not null)
            {
                var build = await store.CreateBuildAsync(
                    new NewBuild(scope.Pipeline.Id, null, PlanJson.Serialize(plan), [], [], CreatedBy: Actor.System.Name)
                    {
                        ConfigNumber = scope.Pipeline.CurrentConfigNumber,
                        Name = $"{retired.Name} teardown" + (current is null ? "" : $" {current.Name}"),
                    }, cancellationToken);
                buildId = build.Id;
                logger.LogInformation("{Pipeline}: {Environment} is gone with its branch; teardown runs as build {Build}", scope.Pipeline.Name,
                    retired.Name, build.Id);
                waker.Wake(LoopNames.Runner);
            }
            await store.MarkTornDownAsync(retired.Id, buildId, cancellationToken);
        }
    }

    /// <summary>
    /// Follows each running promotion's build through the store: verifying once the build announced its verify phase,
    /// then succeeded (verified in the environment), failed, errored or aborted once the build ended. A failure where
    /// the environment says <c>on_failure: rollback</c> starts the rollback in the same change.
    /// </summary>
    private async Task FinishAsync(CancellationToken cancellationToken)
    {
        foreach (var promotion in await store.ListPromotionsInStatusAsync(Running, 1000, cancellationToken))
        {
            if (promotion.BuildId is not { } buildId || await store.GetBuildAsync(buildId, cancellationToken) is not { } build)
                continue;
            var verifying = promotion.Status == PromotionStatus.Deploying && await store.HasPhaseAsync(buildId, PromotionPhases.Verify, cancellationToken);
            var outcome = PromotionOutcome.Of(verifying ? PromotionStatus.Verifying : promotion.Status, build.Status, build.Reason);
            if (outcome is null && !verifying)
                continue;
            await using var held = await store.Locks.TryAcquireAsync($"promotion:{promotion.Id}", cancellationToken);
            if (held is null)
                continue;
            try
            {
                var load = await LoadForAsync(promotion, cancellationToken);
                var rollback = await store.ChangeEnvironmentAsync(load, e =>
                {
                    if (verifying)
                        e.Verify(promotion.Id);
                    return outcome is { } ended ? e.Finish(promotion.Id, ended.Status, ended.Reason, clock.GetUtcNow()) : null;
                }, cancellationToken);
                if (outcome is { } o)
                    logger.LogInformation("promotion {Promotion} of {Release} into {Environment}: {Status}", promotion.Id, promotion.Release,
                        promotion.Environment, o.Status.ToText());
                if (rollback is not null)
                {
                    logger.LogInformation("{Environment}: promotion {Promotion} failed, rolling back to {Release} (promotion {Rollback})",
                        promotion.Environment, promotion.Id, rollback.Release, rollback.Id);
                    waker.Wake(LoopNames.Promoter);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "following promotion {Promotion} failed: {Message}", promotion.Id, e.Message);
            }
        }
    }

    /// <summary>The environment a running promotion is in, with its settings from the current config (or none, if it left the config).</summary>
    private async Task<EnvironmentLoad> LoadForAsync(PromotionRecord promotion, CancellationToken cancellationToken)
    {
        var pipeline = await store.GetPipelineByIdAsync(promotion.PipelineId, cancellationToken);
        var config = pipeline is null ? null : await configs.CurrentAsync(pipeline, cancellationToken);
        var settings = config is null ? null : (await sync.SyncAsync(pipeline!, config, cancellationToken)).Settings.GetValueOrDefault(promotion.Environment);
        return settings is null
            ? EnvironmentLoads.Gone(promotion.EnvironmentId, promotion.Environment)
            : new EnvironmentLoad(promotion.EnvironmentId, settings.Policy);
    }
}
