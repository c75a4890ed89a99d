using Ferry.Core.Promotion;
using Ferry.Engine.Checking;
using Ferry.Engine.Loops;
using Ferry.Engine.Promoting;
using Ferry.Storage;

namespace Ferry.Engine.Pushing;

/// <summary>
/// FlowFuse's push from one stage to the next, with its three choices: a snapshot of the source taken now, the
/// source's latest snapshot, or an earlier one. A push is a promotion into the next stage (refusals, approvals,
/// protection and audit are the promotion's); it only decides which release that is, and, for a snapshot taken now of
/// the first stage, gets the new release through the first stage before (only releases verified upstream travel on).
/// </summary>
public sealed class Pushes(IStore store, Promotions promotions, CheckerLoop checker, LoopWaker waker, TimeProvider clock)
{
    private const int ReleaseWindow = 200;
    private const int EarlierShown = 20;
    private static readonly TimeSpan CheckDeadline = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan VerifyDeadline = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);

    public async Task<PushOptionsView> OptionsAsync(string pipeline, string to, CancellationToken cancellationToken)
    {
        var stage = await StageAsync(pipeline, to, cancellationToken);
        var releases = await store.ListReleasesAsync(stage.Scope.Pipeline.Id, ReleaseWindow, cancellationToken);
        var latest = stage.Source.CurrentRelease is { } number ? ReleaseName.Of(number) : null;
        var earlier = releases.Where(r => r.VerifiedIn.Contains(stage.From) && r.Name != latest && !r.Disabled).Take(EarlierShown);
        return new PushOptionsView(stage.From, to, NowMeans(stage), latest, [.. earlier.Select(ReleaseView.Of)]);
    }

    /// <summary>What the push would do; for <see cref="PushSnapshotKind.Now"/> on a first stage, the snapshot is taken (checked) already.</summary>
    public async Task<PushView> PreviewAsync(string pipeline, string to, PushSnapshot snapshot, Actor actor, CancellationToken cancellationToken)
    {
        var stage = await StageAsync(pipeline, to, cancellationToken);
        var (release, note) = await ResolveAsync(stage, snapshot, cancellationToken);
        return new PushView(stage.From, to, snapshot.Text, release.Name, note, await PreviewAsync(stage, release, actor, cancellationToken), null);
    }

    /// <summary>Takes the snapshot, gets it verified in a first stage when it is not yet, and promotes it into <paramref name="to"/>.</summary>
    /// <param name="force">Overwrite hand edits in the target's instance (drift), audited; without it a drifted target refuses.</param>
    public async Task<PushView> PushAsync(string pipeline, string to, PushSnapshot snapshot, Actor actor, CancellationToken cancellationToken,
        bool force = false)
    {
        var stage = await StageAsync(pipeline, to, cancellationToken);
        var (release, note) = await ResolveAsync(stage, snapshot, cancellationToken);
        if (stage.IsFirstInstance && !release.VerifiedIn.Contains(stage.From))
            await VerifyInSourceAsync(stage, release, actor, cancellationToken);
        var preview = await promotions.PreviewAsync(pipeline, to, release.Name, actor, cancellationToken);
        var promotion = await promotions.PromoteAsync(pipeline, to, release.Name, actor, cancellationToken, force);
        return new PushView(stage.From, to, snapshot.Text, release.Name, note, preview, promotion);
    }

    private async Task<PreviewView> PreviewAsync(Stage stage, ReleaseRecord release, Actor actor, CancellationToken cancellationToken)
    {
        var preview = await promotions.PreviewAsync(stage.Scope.Pipeline.Name, stage.To, release.Name, actor, cancellationToken);
        // The push itself gets a first stage's new snapshot verified there before it promotes it onward.
        return stage.IsFirstInstance && !release.VerifiedIn.Contains(stage.From) && preview.Refusal?.Kind == RefusalView.KindText(RefusalKind.NotVerifiedUpstream)
            ? preview with { Refusal = null }
            : preview;
    }

    private async Task<Stage> StageAsync(string pipeline, string to, CancellationToken cancellationToken)
    {
        var scope = await promotions.ScopeAsync(pipeline, cancellationToken);
        scope.Environment(to);
        var upstream = scope.Graph[to].Upstream;
        var from = upstream switch
        {
            [] => throw new ArgumentException($"{to} is a first stage: nothing is pushed into it, its releases come from {FirstSource(scope, to)}"),
            [var one] => one,
            _ => throw new ArgumentException($"{to} takes releases from {string.Join(" and ", upstream)}: a push goes from one stage to the next; use ferry promote"),
        };
        var (settings, record) = scope.Environment(from);
        return new Stage(scope, from, to, record, scope.Graph[from].IsFirst ? settings.Config.Instance?.ResourceName : null);
    }

    private static string FirstSource(PipelineScope scope, string environment) =>
        scope.Settings[environment].Config.Instance?.ResourceName is { } resource ? $"the snapshots of {resource}" : "the jobs it names in from";

    private static string NowMeans(Stage stage) => stage.SourceResource is { } resource
        ? $"Ferry checks {resource} now, {stage.From}'s instance: its flows become a release (the same one again when nothing changed), " +
          $"which goes through {stage.From} first and then into {stage.To}."
        : $"{stage.From}'s snapshot now is what Ferry deployed there: its current release. Flows edited by hand in {stage.From}'s " +
          $"instance (drift) are not pushed: only releases that went through the stages before travel on.";

    private async Task<(ReleaseRecord Release, string Note)> ResolveAsync(Stage stage, PushSnapshot snapshot, CancellationToken cancellationToken)
    {
        var pipelineId = stage.Scope.Pipeline.Id;
        switch (snapshot.Kind)
        {
            case PushSnapshotKind.Now when stage.SourceResource is { } resource:
                var saved = await SnapshotNowAsync(stage, resource, cancellationToken);
                return (saved.Release, saved.IsNew
                    ? $"a snapshot of {stage.From} ({resource}) taken now: the new release {saved.Release.Name}"
                    : $"a snapshot of {stage.From} ({resource}) taken now: its flows are those of {saved.Release.Name}, unchanged");
            case PushSnapshotKind.Now or PushSnapshotKind.Latest:
                if (stage.Source.CurrentRelease is not { } number || await store.GetReleaseAsync(pipelineId, number, cancellationToken) is not { } current)
                    throw new PromotionRefusedException(new Refusal(RefusalKind.NoRelease, stage.To, "",
                        $"nothing can be pushed from {stage.From} into {stage.To}: {stage.From} has no release yet."));
                return (current, snapshot.Kind == PushSnapshotKind.Now
                    ? $"{stage.From} now: {NowMeans(stage)} That is {current.Name}."
                    : $"the latest snapshot of {stage.From}: its current release {current.Name}");
            default:
                ReleaseName.TryParse(snapshot.Release, out var chosen);
                var release = await store.GetReleaseAsync(pipelineId, chosen, cancellationToken)
                              ?? throw new PromotionLookupException($"release {snapshot.Release} not found in pipeline '{stage.Scope.Pipeline.Name}'");
                return (release, $"{release.Name}, chosen: an earlier snapshot of {stage.From}");
        }
    }

    /// <summary>Runs the source resource's check now (or waits for the checker's, when it holds the resource) and forms the release of the snapshot.</summary>
    private async Task<SavedRelease> SnapshotNowAsync(Stage stage, string resourceName, CancellationToken cancellationToken)
    {
        var pipelineId = stage.Scope.Pipeline.Id;
        var resource = await store.GetResourceAsync(pipelineId, resourceName, cancellationToken)
                       ?? throw new PromotionLookupException($"resource '{resourceName}' not found in pipeline '{stage.Scope.Pipeline.Name}'");
        // The store keeps milliseconds: a check that started after the request reads back no earlier than this.
        var requested = DateTimeOffset.FromUnixTimeMilliseconds(clock.GetUtcNow().ToUnixTimeMilliseconds());
        await store.RequestCheckAsync(resource.Id, requested, cancellationToken);
        var deadline = requested + CheckDeadline;
        while (true)
        {
            resource = await store.GetResourceAsync(pipelineId, resourceName, cancellationToken) ?? resource;
            if (resource.LastCheckedAt >= requested)
                break;
            if (clock.GetUtcNow() > deadline)
                throw new PushFailedException($"no snapshot of {stage.From} could be taken: the check of {resourceName} did not run within {CheckDeadline.TotalSeconds:0} s");
            await checker.CheckAsync(resource, cancellationToken);
            if ((await store.GetResourceAsync(pipelineId, resourceName, cancellationToken))?.LastCheckedAt < requested)
                await Task.Delay(Poll, cancellationToken);
        }
        if (resource.LastCheckError is { } error)
            throw new PushFailedException($"no snapshot of {stage.From} could be taken: the check of {resourceName} failed: {error}");
        var version = await store.GetLatestVersionAsync(resource.Id, cancellationToken)
                      ?? throw new PushFailedException($"no snapshot of {stage.From} could be taken: {resourceName} has no enabled version");
        var saved = await store.SaveReleaseAsync(pipelineId, [new ReleaseVersionInput(resource.Id, version.Id)], cancellationToken: cancellationToken);
        waker.Wake(LoopNames.Promoter);
        return saved;
    }

    /// <summary>
    /// Promotes the release into the first stage (its own instance already runs it, so the promotion only records it
    /// there, audited) and waits until it is verified there. An automatic first stage may have started that promotion
    /// already: then this waits for it.
    /// </summary>
    private async Task VerifyInSourceAsync(Stage stage, ReleaseRecord release, Actor actor, CancellationToken cancellationToken)
    {
        var pipeline = stage.Scope.Pipeline.Name;
        long? mine = null;
        try
        {
            mine = (await promotions.PromoteAsync(pipeline, stage.From, release.Name, actor, cancellationToken)).Id;
        }
        catch (PromotionRefusedException e) when (e.Refusal.Kind is RefusalKind.PromotionOpen or RefusalKind.EnvironmentBusy)
        {
        }
        var deadline = clock.GetUtcNow() + VerifyDeadline;
        while (true)
        {
            var now = await store.GetReleaseAsync(stage.Scope.Pipeline.Id, release.Number, cancellationToken);
            if (now?.VerifiedIn.Contains(stage.From) == true)
                return;
            if (mine is { } id && await promotions.GetPromotionAsync(pipeline, id, cancellationToken) is { } promotion)
            {
                if (promotion.Status is "failed" or "errored" or "aborted" or "rejected")
                    throw new PushFailedException($"{release.Name} did not get through {stage.From}: promotion {id} {promotion.Status}" +
                                                  (promotion.Reason is { } reason ? $" ({reason})" : "") + $"; nothing was pushed into {stage.To}");
                if (promotion.Status == "awaiting_approval")
                    throw new PushFailedException($"{release.Name} awaits approval in {stage.From} (promotion {id}): once it is approved and verified there, push it with --snapshot {release.Name}");
            }
            if (clock.GetUtcNow() > deadline)
                throw new PushFailedException($"{release.Name} was not verified in {stage.From} within {VerifyDeadline.TotalSeconds:0} s; nothing was pushed into {stage.To}");
            waker.Wake(LoopNames.Promoter);
            await Task.Delay(Poll, cancellationToken);
        }
    }

    /// <param name="SourceResource">For a first stage bound to an instance resource: that resource (a snapshot now is its check).</param>
    private sealed record Stage(PipelineScope Scope, string From, string To, EnvironmentRecord Source, string? SourceResource)
    {
        public bool IsFirstInstance => SourceResource is not null;
    }
}
