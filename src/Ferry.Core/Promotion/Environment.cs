using Ferry.Core.Audit;

namespace Ferry.Core.Promotion;

/// <summary>What the store keeps of one environment: the aggregate is made from it, with the promotions it loaded.</summary>
/// <param name="Version">Counts the saved changes: a save whose version moved on meanwhile is refused, and retried.</param>
/// <param name="Promotions">Its open promotions, and any finished one the caller asked for by id.</param>
public sealed record EnvironmentSnapshot(int Id, string Name, long Version, int? CurrentRelease, Hold? Hold, IReadOnlyList<Promotion> Promotions);

/// <summary>A release that became current, with who promoted it and when.</summary>
public sealed record CurrentRelease(int Number, string By, DateTimeOffset Since);

/// <summary>A release verified in the environment by a promotion.</summary>
public sealed record Verification(int ReleaseNumber, Promotion Promotion, DateTimeOffset At);

/// <summary>
/// One environment and its promotions: the only place that decides what happens to them. Promote, roll back, approve,
/// reject, start, verify, finish, hold and lift a hold are decided here, with every refusal's sentence; which release
/// is current and where a release is verified change only here. The promoter and the promotion operations load it from
/// the store, call one method and save it in the same transaction (<see cref="Version"/> guards against a concurrent
/// save); the store applies <see cref="Added"/>, <see cref="Changed"/>, the hold, <see cref="NewCurrent"/>,
/// <see cref="Verified"/> and <see cref="Audit"/> and decides nothing.
/// </summary>
public sealed class Environment
{
    private readonly EnvironmentGraph _graph;
    private readonly Dictionary<int, ReleaseStanding> _releases;
    private readonly List<Promotion> _promotions;
    private readonly List<Promotion> _added = [];
    private readonly List<Promotion> _changed = [];
    private readonly List<Verification> _verified = [];
    private readonly List<AuditEntry> _audit = [];

    /// <param name="releases">The standing of every release the call may touch (the store loads those asked for and the current one).</param>
    public Environment(EnvironmentSnapshot snapshot, EnvironmentPolicy policy, EnvironmentGraph graph, IEnumerable<ReleaseStanding> releases)
    {
        Id = snapshot.Id;
        Name = snapshot.Name;
        Version = snapshot.Version;
        CurrentRelease = snapshot.CurrentRelease;
        Hold = snapshot.Hold;
        Policy = policy;
        _graph = graph;
        _promotions = [.. snapshot.Promotions];
        _releases = releases.ToDictionary(r => r.Number);
    }

    public int Id { get; }
    public string Name { get; }
    public long Version { get; }
    public EnvironmentPolicy Policy { get; }
    /// <summary>The last release verified here (it stays after a later failure: the last good one).</summary>
    public int? CurrentRelease { get; private set; }
    public Hold? Hold { get; private set; }

    public IReadOnlyList<Promotion> Promotions => _promotions;
    public IReadOnlyList<Promotion> Added => _added;
    /// <summary>Loaded promotions whose state changed (not those in <see cref="Added"/>).</summary>
    public IReadOnlyList<Promotion> Changed => _changed;
    public bool HoldChanged { get; private set; }
    public CurrentRelease? NewCurrent { get; private set; }
    public IReadOnlyList<Verification> Verified => _verified;
    public IReadOnlyList<AuditEntry> Audit => _audit;

    /// <summary>Whether <paramref name="release"/> was verified here (its promotion here succeeded, deploy and verify).</summary>
    public bool IsVerified(int release) => Standing(release).VerifiedIn.Contains(Name) || _verified.Any(v => v.ReleaseNumber == release);

    /// <summary>Null when <paramref name="release"/> may be promoted here now by <paramref name="actor"/> (automatically or by hand), else why not.</summary>
    /// <param name="emptyRequired">Required keys that would have no value here (the preview finds them).</param>
    /// <param name="drift">How the bound instance differs from what was last deployed there (the drift check finds it).</param>
    /// <param name="force">A person accepts overwriting <paramref name="drift"/>.</param>
    public Refusal? CheckPromote(int release, PromotionTrigger trigger, Actor actor, IReadOnlyList<string>? emptyRequired = null,
        InstanceDrift? drift = null, bool force = false)
    {
        var standing = Standing(release);
        if (Unfit(standing) is { } unfit)
        {
            return unfit;
        }
        if (trigger == PromotionTrigger.Manual && Policy.Protected && !actor.IsOwner)
        {
            return Refusal.Protected(Name, standing.Name, actor.Name);
        }
        if (Eligibility.Check(_graph, Name, standing) is { } ineligible)
        {
            return ineligible;
        }
        if (trigger == PromotionTrigger.Auto)
        {
            if (Hold is { } hold)
            {
                return Refusal.Held(Name, standing.Name, hold);
            }
            if (_promotions.Any(p => !p.IsFinished))
            {
                return Refusal.Open(Name, standing.Name);
            }
        }
        if (OpenOf(release) is { } open)
        {
            return Refusal.AlreadyOpen(Name, standing.Name, open.Id, open.Status);
        }
        if (emptyRequired is { Count: > 0 })
        {
            return Refusal.RequiredEmpty(Name, standing.Name, emptyRequired);
        }
        // Never a silent overwrite: automatic promotion cannot force, a person must say so.
        return drift is not null && !(force && trigger != PromotionTrigger.Auto) ? Refusal.Drifted(Name, standing.Name, drift) : null;
    }

    /// <summary>
    /// Records a promotion of <paramref name="release"/>: awaiting approval when the environment asks for one, else
    /// pending. A person's promotion lifts a hold (that is how a person says "go on").
    /// </summary>
    /// <exception cref="PromotionRefusedException">As <see cref="CheckPromote"/> says.</exception>
    public Promotion Promote(int release, PromotionTrigger trigger, Actor actor, DateTimeOffset at, IReadOnlyList<string>? emptyRequired = null,
        InstanceDrift? drift = null, bool force = false)
    {
        if (trigger == PromotionTrigger.Rollback)
        {
            throw new ArgumentException("a rollback is asked for with RollBack", nameof(trigger));
        }
        Refuse(CheckPromote(release, trigger, actor, emptyRequired, drift, force));
        var status = Policy.Approval is { Required: > 0 } ? PromotionStatus.AwaitingApproval : PromotionStatus.Pending;
        var promotion = Add(new Promotion(0, Name, release, actor.Name, trigger, status, forced: force && trigger != PromotionTrigger.Auto));
        _audit.Add(new AuditEntry(actor.Name, AuditActions.Promotion, promotion, release,
            $"{trigger.ToText()} promotion of {promotion.Release}, {status.ToText()}"));
        AuditOverwrite(promotion, actor, drift);
        if (trigger == PromotionTrigger.Manual && Hold is not null)
        {
            SetHold(null, actor, $"lifted by promoting {promotion.Release}", promotion);
        }
        return promotion;
    }

    /// <summary>Null when a person may roll the environment back to <paramref name="release"/>: one verified here before.</summary>
    public Refusal? CheckRollBack(int release, Actor actor, InstanceDrift? drift = null, bool force = false)
    {
        var standing = Standing(release);
        if (Policy.IsTemplate)
        {
            return Refusal.ForEach(Name, Policy.ForEach!);
        }
        if (Policy.Protected && !actor.IsOwner)
        {
            return Refusal.Protected(Name, standing.Name, actor.Name);
        }
        if (Eligibility.CheckRollback(Name, standing) is { } refused)
        {
            return refused;
        }
        if (OpenOf(release) is { } open)
        {
            return Refusal.AlreadyOpen(Name, standing.Name, open.Id, open.Status);
        }
        return drift is not null && !force ? Refusal.Drifted(Name, standing.Name, drift, rollback: true) : null;
    }

    /// <summary>
    /// Redeploys a release verified here and holds the environment there, so automatic promotion does not undo it at
    /// once. It skips approval: the release was approved here before.
    /// </summary>
    public Promotion RollBack(int release, Actor actor, DateTimeOffset at, InstanceDrift? drift = null, bool force = false)
    {
        Refuse(CheckRollBack(release, actor, drift, force));
        var promotion = Add(new Promotion(0, Name, release, actor.Name, PromotionTrigger.Rollback, forced: force));
        _audit.Add(new AuditEntry(actor.Name, AuditActions.Rollback, promotion, release, $"rollback promotion of {promotion.Release}, pending"));
        AuditOverwrite(promotion, actor, drift);
        SetHold(new Hold(actor.Name, $"a rollback to {promotion.Release}", at), actor, null, promotion);
        return promotion;
    }

    /// <returns>Whether this yes made the promotion approved.</returns>
    public bool Approve(long promotionId, Actor approver, DateTimeOffset at, string? comment = null)
    {
        var promotion = Find(promotionId);
        var approved = promotion.Approve(RuleFor(promotion, approver, "approve"), approver, at, comment);
        Touch(promotion);
        _audit.Add(new AuditEntry(approver.Name, AuditActions.Approval, promotion, promotion.ReleaseNumber, comment));
        return approved;
    }

    public void Reject(long promotionId, Actor approver, DateTimeOffset at, string? comment = null)
    {
        var promotion = Find(promotionId);
        promotion.Reject(RuleFor(promotion, approver, "reject"), approver, at, comment);
        Touch(promotion);
        _audit.Add(new AuditEntry(approver.Name, AuditActions.Rejection, promotion, promotion.ReleaseNumber, comment));
    }

    /// <summary>Null when the promotion may start deploying now: one promotion deploys or verifies in an environment at a time.</summary>
    public Refusal? CheckStart(long promotionId)
    {
        var promotion = Find(promotionId);
        return _promotions.FirstOrDefault(p => p != promotion && PromotionStates.IsInFlight(p.Status)) is { } busy
            ? Refusal.Busy(Name, promotion.Release, busy.Id, busy.Status)
            : null;
    }

    /// <summary>Deploying, by <paramref name="buildId"/>.</summary>
    public void Start(long promotionId, long buildId)
    {
        Refuse(CheckStart(promotionId));
        var promotion = Find(promotionId);
        promotion.Start(buildId);
        Touch(promotion);
    }

    /// <summary>Its build finished deploying and runs the verify steps now (the build said so in an event).</summary>
    public void Verify(long promotionId)
    {
        var promotion = Find(promotionId);
        promotion.MoveTo(PromotionStatus.Verifying);
        Touch(promotion);
    }

    /// <summary>
    /// Ends a promotion (one that never deployed too: its plan could not be made, or its environment left the config,
    /// errors or aborts from pending): succeeded makes its release current and verified here. A failure where the environment says
    /// <c>on_failure: rollback</c> redeploys the last good release at once, without a hold (newer releases keep coming).
    /// </summary>
    /// <returns>The rollback promotion this started, if any.</returns>
    public Promotion? Finish(long promotionId, PromotionStatus outcome, string? reason, DateTimeOffset at)
    {
        if (!PromotionStates.IsFinished(outcome))
        {
            throw new ArgumentException($"finishing a promotion: {outcome.ToText()} is not an end", nameof(outcome));
        }
        var promotion = Find(promotionId);
        promotion.MoveTo(outcome, reason);
        Touch(promotion);
        _audit.Add(new AuditEntry(Actor.System.Name, AuditActions.PromotionFinished, promotion, promotion.ReleaseNumber,
            reason is null ? outcome.ToText() : $"{outcome.ToText()}: {reason}"));
        if (outcome == PromotionStatus.Succeeded)
        {
            _verified.Add(new Verification(promotion.ReleaseNumber, promotion, at));
            CurrentRelease = promotion.ReleaseNumber;
            NewCurrent = new CurrentRelease(promotion.ReleaseNumber, promotion.RequestedBy, at);
            return null;
        }
        if (outcome != PromotionStatus.Failed || !Policy.RollbackOnFailure || CurrentRelease is not { } last || last == promotion.ReleaseNumber
            || !_releases.TryGetValue(last, out var good) || good.Disabled || OpenOf(last) is not null)
        {
            return null;
        }
        var rollback = Add(new Promotion(0, Name, last, Actor.System.Name, PromotionTrigger.Rollback));
        _audit.Add(new AuditEntry(Actor.System.Name, AuditActions.Rollback, rollback, last,
            $"rollback promotion of {rollback.Release} after promotion {promotion.Id} failed, pending"));
        return rollback;
    }

    /// <summary>Sets a hold: automatic promotion leaves the environment alone until it is lifted or someone promotes by hand.</summary>
    public void SetHold(Actor actor, string? reason, DateTimeOffset at)
    {
        Refuse(Policy.CheckChange(actor, "hold"));
        var text = string.IsNullOrWhiteSpace(reason) ? "a hold" : $"a hold ({reason.Trim()})";
        SetHold(new Hold(actor.Name, text, at), actor, null, null);
    }

    public void LiftHold(Actor actor)
    {
        Refuse(Policy.CheckChange(actor, "lift the hold on"));
        if (Hold is not null)
        {
            SetHold(null, actor, null, null);
        }
    }

    private void SetHold(Hold? hold, Actor actor, string? detail, Promotion? by)
    {
        var before = Hold;
        Hold = hold;
        HoldChanged = true;
        _audit.Add(new AuditEntry(actor.Name, hold is null ? AuditActions.HoldLifted : AuditActions.Hold, by, by?.ReleaseNumber,
            detail ?? hold?.Reason ?? before?.Reason));
    }

    private void AuditOverwrite(Promotion promotion, Actor actor, InstanceDrift? drift)
    {
        if (promotion.Forced && drift is not null)
        {
            _audit.Add(new AuditEntry(actor.Name, AuditActions.DriftOverwritten, promotion, promotion.ReleaseNumber,
                $"{promotion} overwrites the hand edits in {Name}'s instance: {drift.Changes}"));
        }
    }

    private Refusal? Unfit(ReleaseStanding release) =>
        Policy.IsTemplate ? Refusal.ForEach(Name, Policy.ForEach!)
        : release.Content is { } content && Policy.Unfit(content) is { } why ? Refusal.DoesNotFit(Name, release.Name, why)
        : null;

    private ApprovalRule RuleFor(Promotion promotion, Actor actor, string verb) =>
        Policy.Approval ?? throw new PromotionRefusedException(Refusal.Approval(Name, promotion.Release,
            $"{actor.Name} cannot {verb} {promotion}: {Name} asks for no approval"));

    private Promotion? OpenOf(int release) => _promotions.FirstOrDefault(p => p.ReleaseNumber == release && !p.IsFinished);

    private Promotion Add(Promotion promotion)
    {
        _promotions.Add(promotion);
        _added.Add(promotion);
        return promotion;
    }

    private void Touch(Promotion promotion)
    {
        if (!_added.Contains(promotion) && !_changed.Contains(promotion))
        {
            _changed.Add(promotion);
        }
    }

    private Promotion Find(long promotionId) =>
        _promotions.FirstOrDefault(p => p.Id == promotionId && p.Id != 0)
        ?? throw new PromotionStateException($"environment {Name}: promotion {promotionId} was not loaded with it");

    private ReleaseStanding Standing(int release) =>
        _releases.TryGetValue(release, out var standing)
            ? standing
            : throw new PromotionStateException($"environment {Name}: release {ReleaseName.Of(release)} was not loaded with it");

    private static void Refuse(Refusal? refusal)
    {
        if (refusal is not null)
        {
            throw new PromotionRefusedException(refusal);
        }
    }
}
