using Ferry.Core.Promotion;
using Ferry.Engine.Loops;
using Ferry.Engine.Pipelines;
using Ferry.Storage;

namespace Ferry.Engine.Promoting;

/// <summary>
/// What people do with environments, through the API, the CLI and the web UI: look, preview, promote, approve or
/// reject, roll back, hold, set variables, read the audit log. Every refusal is a <see cref="PromotionRefusedException"/>
/// whose message says why. Every change of promotion state is the environment aggregate's decision, made and saved in
/// one transaction (<see cref="IPromotionStore.ChangeEnvironmentAsync"/>); this class finds what to ask it.
/// </summary>
public sealed class Promotions(IStore store, PipelineConfigs configs, EnvironmentSync sync, PromotionPreviews previews, LoopWaker waker,
    TimeProvider clock)
{
    private const int ReleaseWindow = 200;

    public async Task<IReadOnlyList<EnvironmentView>> ListEnvironmentsAsync(string pipeline, CancellationToken cancellationToken)
    {
        var scope = await ScopeAsync(pipeline, cancellationToken);
        var releases = await store.ListReleasesAsync(scope.Pipeline.Id, ReleaseWindow, cancellationToken);
        var views = new List<EnvironmentView>();
        foreach (var record in scope.Records)
            views.Add(await ViewAsync(scope, record, releases, cancellationToken));
        return views;
    }

    public async Task<EnvironmentView> GetEnvironmentAsync(string pipeline, string environment, CancellationToken cancellationToken)
    {
        var scope = await ScopeAsync(pipeline, cancellationToken);
        var (_, record) = scope.Environment(environment);
        return await ViewAsync(scope, record, await store.ListReleasesAsync(scope.Pipeline.Id, ReleaseWindow, cancellationToken), cancellationToken);
    }

    /// <summary>What promoting <paramref name="release"/> (default: the newest eligible one) would change; its refusal, if refused.</summary>
    public async Task<PreviewView> PreviewAsync(string pipeline, string environment, string? release, Actor? actor, CancellationToken cancellationToken)
    {
        var scope = await ScopeAsync(pipeline, cancellationToken);
        var (settings, record) = scope.Environment(environment);
        var target = await ReleaseOrNewestEligibleAsync(scope, environment, release, cancellationToken);
        var aggregate = await store.LoadEnvironmentAsync(EnvironmentLoads.Of(settings, record, target.Number), cancellationToken);
        // Nobody signed in: the preview says what the rules say of the release, whoever would ask.
        var refusal = aggregate.CheckPromote(target.Number, PromotionTrigger.Manual, actor ?? Actor.System);
        var preview = await previews.PreviewAsync(scope, settings, record, target, refusal, cancellationToken);
        // Drift is read while previewing: the aggregate says whether it stops the promotion (unless forced).
        return refusal is null && aggregate.CheckPromote(target.Number, PromotionTrigger.Manual, actor ?? Actor.System, preview.RequiredEmpty, preview.Drift) is { } drifted
            ? preview.View with { Refusal = RefusalView.Of(drifted) }
            : preview.View;
    }

    /// <summary>
    /// A person promotes: the environment checks protection, eligibility, required variables and the drift of its
    /// instance (read now; <paramref name="force"/> overwrites it, audited); it lifts a hold.
    /// </summary>
    public async Task<PromotionView> PromoteAsync(string pipeline, string environment, string? release, Actor actor, CancellationToken cancellationToken,
        bool force = false)
    {
        var scope = await ScopeAsync(pipeline, cancellationToken);
        var (settings, record) = scope.Environment(environment);
        // Drift is read now, whatever the drift loop last saw: a push never overwrites hand edits unforced. The
        // instance answers while the store does (a push costs little more than its POST /flows).
        var driftRead = previews.Drifts.CurrentAsync(settings, record, cancellationToken);
        var targetRead = TargetAsync();
        // Both awaited together: the target's refusal comes first, and a failed drift read is never left unobserved.
        await Task.WhenAll(targetRead, driftRead);
        var (target, requiredEmpty) = await targetRead;
        var (_, drift) = await driftRead;
        var created = await store.ChangeEnvironmentAsync(EnvironmentLoads.Of(settings, record, target.Number),
            e => e.Promote(target.Number, PromotionTrigger.Manual, actor, clock.GetUtcNow(), requiredEmpty, drift, force), cancellationToken);
        return await CreatedAsync(scope, settings, created.Id, cancellationToken);

        async Task<(ReleaseRecord Target, IReadOnlyList<string> RequiredEmpty)> TargetAsync()
        {
            var target = await ReleaseOrNewestEligibleAsync(scope, environment, release, cancellationToken);
            return (target, await previews.RequiredEmptyAsync(scope, settings, record, target, cancellationToken));
        }
    }

    /// <summary>Promotes an older release that was verified in the environment, and holds the environment there.</summary>
    /// <param name="force">Overwrite hand edits in the environment's instance (drift), audited.</param>
    public async Task<PromotionView> RollbackAsync(string pipeline, string environment, string to, Actor actor, CancellationToken cancellationToken,
        bool force = false)
    {
        var scope = await ScopeAsync(pipeline, cancellationToken);
        var (settings, record) = scope.Environment(environment);
        var target = await ReleaseAsync(scope, to, cancellationToken);
        var (_, drift) = await previews.Drifts.CurrentAsync(settings, record, cancellationToken);
        var created = await store.ChangeEnvironmentAsync(EnvironmentLoads.Of(settings, record, target.Number),
            e => e.RollBack(target.Number, actor, clock.GetUtcNow(), drift, force), cancellationToken);
        return await CreatedAsync(scope, settings, created.Id, cancellationToken);
    }

    /// <summary>Wakes the promoter to start what was just recorded, and shows it.</summary>
    private async Task<PromotionView> CreatedAsync(PipelineScope scope, EnvironmentSettings settings, long promotionId, CancellationToken cancellationToken)
    {
        waker.Wake(LoopNames.Promoter);
        return PromotionView.Of(scope.Pipeline.Name, await PromotionAsync(scope, promotionId, cancellationToken), settings.Approval);
    }

    public async Task<EnvironmentView> HoldAsync(string pipeline, string environment, string? reason, Actor actor, CancellationToken cancellationToken)
    {
        var scope = await ScopeAsync(pipeline, cancellationToken);
        var (settings, record) = scope.Environment(environment);
        await store.ChangeEnvironmentAsync(EnvironmentLoads.Of(settings, record), e =>
        {
            e.SetHold(actor, reason, clock.GetUtcNow());
            return true;
        }, cancellationToken);
        return await GetEnvironmentAsync(pipeline, environment, cancellationToken);
    }

    public async Task<EnvironmentView> LiftHoldAsync(string pipeline, string environment, Actor actor, CancellationToken cancellationToken)
    {
        var scope = await ScopeAsync(pipeline, cancellationToken);
        var (settings, record) = scope.Environment(environment);
        await store.ChangeEnvironmentAsync(EnvironmentLoads.Of(settings, record), e =>
        {
            e.LiftHold(actor);
            return true;
        }, cancellationToken);
        waker.Wake(LoopNames.Promoter);
        return await GetEnvironmentAsync(pipeline, environment, cancellationToken);
    }

    /// <summary>An approval (yes) or a rejection (no) of a promotion awaiting approval, under its environment's rule.</summary>
    public async Task<PromotionView> DecideAsync(string pipeline, long promotionId, bool approve, string? comment, Actor actor, CancellationToken cancellationToken)
    {
        var scope = await ScopeAsync(pipeline, cancellationToken);
        var promotion = await PromotionAsync(scope, promotionId, cancellationToken);
        var (settings, record) = scope.Environment(promotion.Environment);
        await store.ChangeEnvironmentAsync(EnvironmentLoads.Of(settings, record) with { Promotions = [promotionId] }, e =>
        {
            if (approve)
                e.Approve(promotionId, actor, clock.GetUtcNow(), comment);
            else
                e.Reject(promotionId, actor, clock.GetUtcNow(), comment);
            return true;
        }, cancellationToken);
        waker.Wake(LoopNames.Promoter);
        return PromotionView.Of(scope.Pipeline.Name, await PromotionAsync(scope, promotionId, cancellationToken), settings.Approval);
    }

    /// <summary>Why the environment has not received the newest release (or that it will, now).</summary>
    public async Task<ExplainView> ExplainAsync(string pipeline, string environment, CancellationToken cancellationToken)
    {
        var scope = await ScopeAsync(pipeline, cancellationToken);
        var (settings, record) = scope.Environment(environment);
        return await ExplainAsync(scope, settings, record, await store.ListReleasesAsync(scope.Pipeline.Id, ReleaseWindow, cancellationToken), cancellationToken);
    }

    /// <summary><see cref="ExplainAsync(string, string, CancellationToken)"/> for every environment, reading the pipeline once (the web UI's rows).</summary>
    public async Task<IReadOnlyList<ExplainView>> ExplainAllAsync(string pipeline, CancellationToken cancellationToken)
    {
        var scope = await ScopeAsync(pipeline, cancellationToken);
        var releases = await store.ListReleasesAsync(scope.Pipeline.Id, ReleaseWindow, cancellationToken);
        var views = new List<ExplainView>();
        foreach (var record in scope.Records)
            views.Add(await ExplainAsync(scope, scope.Settings[record.Name], record, releases, cancellationToken));
        return views;
    }

    private async Task<ExplainView> ExplainAsync(PipelineScope scope, EnvironmentSettings settings, EnvironmentRecord record,
        IReadOnlyList<ReleaseRecord> releases, CancellationToken cancellationToken)
    {
        var newest = releases.FirstOrDefault(r => settings.Fits(r.Content))?.Name;
        if (settings.IsTemplate)
            return new ExplainView(record.Name, newest, null, false, WhatFeedsTemplate(scope, settings, record));
        var (target, why) = await AutoPromotion.DecideAsync(previews, scope, settings, record, releases, cancellationToken);
        if (record.PromotionOpen && await OpenPromotionAsync(scope, record, cancellationToken) is { } open)
            why = WhatItWaitsFor(open, settings.Approval);
        return new ExplainView(record.Name, newest, scope.NewestEligible(settings, releases)?.Name, target is not null, why);
    }

    /// <summary>A for_each declaration takes no release itself: its per-branch environments take each its branch's releases.</summary>
    private static string WhatFeedsTemplate(PipelineScope scope, EnvironmentSettings settings, EnvironmentRecord record)
    {
        var fed = $"{record.Name} is a for_each environment over '{settings.Config.ForEach}': each open branch gets an environment " +
                  $"{record.Name}-<branch> that takes the releases formed from that branch's head commits; nothing goes into {record.Name} itself.";
        var branches = scope.Settings.Values.Where(s => s.Branch is not null && s.Name != record.Name
                                                          && PullRequestEnvironments.DeclarationOf(scope.Config, s.Name)?.Name == record.Name)
            .OrderBy(s => s.Name, StringComparer.Ordinal)
            .Select(s => s.Name + (scope.Records.FirstOrDefault(r => r.Name == s.Name)?.CurrentRelease is { } n ? $" ({ReleaseName.Of(n)})" : " (no release yet)"))
            .ToList();
        return fed + (branches.Count == 0 ? " No branch is open now." : $" Now: {string.Join(", ", branches)}.");
    }

    private async Task<PromotionRecord?> OpenPromotionAsync(PipelineScope scope, EnvironmentRecord record, CancellationToken cancellationToken) =>
        (await store.ListPromotionsAsync(scope.Pipeline.Id, record.Name, 20, cancellationToken)).FirstOrDefault(p => !PromotionStates.IsFinished(p.Status));

    /// <summary>What an open promotion waits for: the approvers it still needs by name, or its build.</summary>
    internal static string WhatItWaitsFor(PromotionRecord open, ApprovalRule? rule)
    {
        var what = $"promotion {open.Id} of {open.Release} into {open.Environment}";
        if (open.Status != PromotionStatus.AwaitingApproval || rule is null)
            return $"{what} is {open.Status.ToText().Replace('_', ' ')}" + (open.BuildId is { } build ? $" (build {build})." : ".");
        var approvers = open.Votes.Where(v => v.Approved).Select(v => v.Approver).Distinct(StringComparer.Ordinal).ToList();
        var missing = Math.Max(0, rule.Required - approvers.Count);
        return $"{what} awaits approval: {missing} more of {string.Join(", ", rule.From)} must approve" +
               (rule.AllowSelf ? "" : $" (not {open.RequestedBy}, who asked for it)") +
               (approvers.Count > 0 ? $"; approved so far by {string.Join(", ", approvers)}." : ".");
    }

    public async Task<IReadOnlyList<ReleaseView>> ListReleasesAsync(string pipeline, int limit, CancellationToken cancellationToken)
    {
        var p = await PipelineAsync(pipeline, cancellationToken);
        return [.. (await store.ListReleasesAsync(p.Id, Math.Clamp(limit, 1, 1000), cancellationToken)).Select(ReleaseView.Of)];
    }

    public async Task<ReleaseView> GetReleaseAsync(string pipeline, string release, CancellationToken cancellationToken)
    {
        var scope = await ScopeAsync(pipeline, cancellationToken);
        return ReleaseView.Of(await ReleaseAsync(scope, release, cancellationToken));
    }

    public async Task<ReleaseView> SetReleaseDisabledAsync(string pipeline, string release, bool disabled, Actor actor, CancellationToken cancellationToken)
    {
        var scope = await ScopeAsync(pipeline, cancellationToken);
        var target = await ReleaseAsync(scope, release, cancellationToken);
        await store.SetReleaseDisabledAsync(scope.Pipeline.Id, target.Number, disabled, actor.Name, cancellationToken);
        waker.Wake(LoopNames.Promoter);
        return ReleaseView.Of(await ReleaseAsync(scope, release, cancellationToken));
    }

    public async Task<IReadOnlyList<PromotionView>> ListPromotionsAsync(string pipeline, string? environment, int limit, CancellationToken cancellationToken)
    {
        var scope = await ScopeAsync(pipeline, cancellationToken);
        if (environment is not null)
            scope.Environment(environment);
        var promotions = await store.ListPromotionsAsync(scope.Pipeline.Id, environment, Math.Clamp(limit, 1, 1000), cancellationToken);
        return [.. promotions.Select(p => PromotionView.Of(scope.Pipeline.Name, p, scope.Settings.GetValueOrDefault(p.Environment)?.Approval))];
    }

    public async Task<PromotionView> GetPromotionAsync(string pipeline, long id, CancellationToken cancellationToken)
    {
        var scope = await ScopeAsync(pipeline, cancellationToken);
        var promotion = await PromotionAsync(scope, id, cancellationToken);
        return PromotionView.Of(scope.Pipeline.Name, promotion, scope.Settings.GetValueOrDefault(promotion.Environment)?.Approval);
    }

    public async Task<IReadOnlyList<AuditView>> AuditAsync(string pipeline, int limit, CancellationToken cancellationToken)
    {
        var p = await PipelineAsync(pipeline, cancellationToken);
        return [.. (await store.ListAuditAsync(p.Id, Math.Clamp(limit, 1, 5000), cancellationToken)).Select(AuditView.Of)];
    }

    /// <summary>The keys the file declares and those set here, with plain values; a secret's value is never returned.</summary>
    public async Task<IReadOnlyList<VariableView>> ListVariablesAsync(string pipeline, string environment, CancellationToken cancellationToken)
    {
        var scope = await ScopeAsync(pipeline, cancellationToken);
        var (settings, record) = scope.Environment(environment);
        var stored = await store.ListVariablesAsync(record.Id, cancellationToken);
        var views = new Dictionary<string, VariableView>(StringComparer.Ordinal);
        var fileValues = settings.FileValues;
        foreach (var key in settings.Keys)
            views[key.Key] = new VariableView(key.Key, fileValues.GetValueOrDefault(key.Key), false, fileValues.ContainsKey(key.Key), key.Required, null, null);
        foreach (var v in stored)
        {
            var required = views.TryGetValue(v.Name, out var declared) && declared.Required;
            views[v.Name] = v.HasValue || declared is null
                ? new VariableView(v.Name, v.Secret ? null : v.Value, v.Secret, v.HasValue, required, v.UpdatedAt, v.UpdatedBy)
                : declared;
        }
        return [.. views.Values.OrderBy(v => v.Name, StringComparer.Ordinal)];
    }

    public async Task SetVariableAsync(string pipeline, string environment, string name, string? value, bool secret, Actor actor,
        CancellationToken cancellationToken)
    {
        VariableNames.Check(name);
        var scope = await ScopeAsync(pipeline, cancellationToken);
        var (settings, record) = scope.Environment(environment);
        Refuse(settings.Policy.CheckChange(actor, "change the variables of"));
        await store.SetVariableAsync(record.Id, name, value, secret, actor.Name, cancellationToken);
        waker.Wake(LoopNames.Promoter);
    }

    public async Task<bool> DeleteVariableAsync(string pipeline, string environment, string name, Actor actor, CancellationToken cancellationToken)
    {
        var scope = await ScopeAsync(pipeline, cancellationToken);
        var (settings, record) = scope.Environment(environment);
        Refuse(settings.Policy.CheckChange(actor, "change the variables of"));
        return await store.DeleteVariableAsync(record.Id, name, actor.Name, cancellationToken);
    }

    internal async Task<PipelineScope> ScopeAsync(string pipeline, CancellationToken cancellationToken) =>
        await PipelineScope.LoadAsync(store, configs, sync, await PipelineAsync(pipeline, cancellationToken), cancellationToken);

    private async Task<PipelineRecord> PipelineAsync(string pipeline, CancellationToken cancellationToken) =>
        await store.GetPipelineAsync(pipeline, cancellationToken) ?? throw new PromotionLookupException($"pipeline '{pipeline}' not found");

    private async Task<EnvironmentView> ViewAsync(PipelineScope scope, EnvironmentRecord record, IReadOnlyList<ReleaseRecord> releases,
        CancellationToken cancellationToken)
    {
        var settings = scope.Settings[record.Name];
        var current = record.CurrentRelease is { } number
            ? releases.FirstOrDefault(r => r.Number == number) ?? await store.GetReleaseAsync(scope.Pipeline.Id, number, cancellationToken)
            : null;
        var last = record.LastPromotionId is { } id ? await store.GetPromotionAsync(id, cancellationToken) : null;
        var eligible = scope.NewestEligible(settings, releases);
        var drift = await store.GetDriftAsync(record.Id, cancellationToken);
        return new EnvironmentView(
            record.Name, record.Upstream, record.AnyUpstream, settings.FromJobs,
            settings.Policy.Auto ? "auto" : "manual", settings.Policy.Protected, ApprovalView.Of(settings.Approval),
            settings.Config.ForEach, settings.Branch,
            current is null ? null : new ReleaseRef(current.Name, current.Number, ReleaseView.VersionsOf(current.Content), record.CurrentSince, record.CurrentBy),
            record.LastPromotionStatus?.ToText(),
            last is null ? null : PromotionView.Of(scope.Pipeline.Name, last, settings.Approval),
            HoldView.Of(record.Hold),
            eligible?.Name)
        {
            Drift = drift is null ? null : await Instances.DriftView.OfAsync(drift, previews.Drifts, cancellationToken),
            Instance = InstanceRef.Of(scope.Config, settings.Config, current?.Content),
        };
    }

    private async Task<ReleaseRecord> ReleaseAsync(PipelineScope scope, string name, CancellationToken cancellationToken) =>
        !ReleaseName.TryParse(name, out var number)
            ? throw new ArgumentException($"'{name}' is not a release name (r7 or 7)")
            : await store.GetReleaseAsync(scope.Pipeline.Id, number, cancellationToken)
              ?? throw new PromotionLookupException($"release {ReleaseName.Of(number)} not found in pipeline '{scope.Pipeline.Name}'");

    private async Task<ReleaseRecord> ReleaseOrNewestEligibleAsync(PipelineScope scope, string environment, string? name, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(name))
            return await ReleaseAsync(scope, name, cancellationToken);
        var settings = scope.Settings[environment];
        var releases = (await store.ListReleasesAsync(scope.Pipeline.Id, ReleaseWindow, cancellationToken)).Where(r => settings.Fits(r.Content)).ToList();
        if (settings.IsTemplate)
            throw new PromotionRefusedException(Refusal.ForEach(environment, settings.Config.ForEach!));
        if (releases.Count == 0)
            throw new PromotionRefusedException(Refusal.NoRelease(environment, scope.Pipeline.Name));
        return releases.FirstOrDefault(r => Eligibility.IsEligible(scope.Graph, environment, r.ToStanding()))
            ?? throw new PromotionRefusedException(Eligibility.Check(scope.Graph, environment, releases[0].ToStanding())!);
    }

    private async Task<PromotionRecord> PromotionAsync(PipelineScope scope, long id, CancellationToken cancellationToken)
    {
        var promotion = await store.GetPromotionAsync(id, cancellationToken);
        return promotion is not null && promotion.PipelineId == scope.Pipeline.Id
            ? promotion
            : throw new PromotionLookupException($"promotion {id} not found in pipeline '{scope.Pipeline.Name}'");
    }

    private static void Refuse(Refusal? refusal)
    {
        if (refusal is not null)
            throw new PromotionRefusedException(refusal);
    }
}
