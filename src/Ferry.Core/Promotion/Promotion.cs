namespace Ferry.Core.Promotion;

/// <summary>
/// Deploying one release into one environment, then verifying it there. Guards its own state: every change goes
/// through <see cref="MoveTo"/>, which refuses what <see cref="PromotionStates"/> does not allow (no succeeded after
/// failed), and approvals go through <see cref="Approve"/> and <see cref="Reject"/>, which apply the approval rule.
/// </summary>
public sealed class Promotion
{
    private readonly List<ApprovalVote> _votes;

    public Promotion(long id, string environment, string release, string requestedBy, PromotionTrigger trigger,
        PromotionStatus status = PromotionStatus.Pending, IEnumerable<ApprovalVote>? votes = null)
    {
        Id = id;
        Environment = environment;
        Release = release;
        RequestedBy = requestedBy;
        Trigger = trigger;
        Status = status;
        _votes = [.. votes ?? []];
    }

    public long Id { get; }
    public string Environment { get; }
    /// <summary>The release's short name (<c>r7</c>).</summary>
    public string Release { get; }
    public string RequestedBy { get; }
    public PromotionTrigger Trigger { get; }
    public PromotionStatus Status { get; private set; }
    public IReadOnlyList<ApprovalVote> Votes => _votes;

    public bool IsFinished => PromotionStates.IsFinished(Status);

    public override string ToString() => $"promotion {Id} ({Release} into {Environment})";

    public void MoveTo(PromotionStatus next)
    {
        if (!PromotionStates.CanMove(Status, next))
        {
            throw new PromotionStateException($"{this}: cannot go from {Status.ToText()} to {next.ToText()}");
        }
        Status = next;
    }

    /// <summary>
    /// After creation: waits for approval when the environment asks for one, else goes on to deploy.
    /// </summary>
    public void Start(ApprovalRule? rule) =>
        MoveTo(rule is { Required: > 0 } ? PromotionStatus.AwaitingApproval : PromotionStatus.Deploying);

    /// <summary>Counts a yes; moves to approved once <see cref="ApprovalRule.Required"/> distinct approvers said yes.</summary>
    /// <returns>Whether this vote made the promotion approved.</returns>
    public bool Approve(ApprovalRule rule, Actor approver, DateTimeOffset at, string? comment = null)
    {
        Admit(rule, approver, "approve");
        if (_votes.Any(v => v.Approver == approver.Name))
        {
            throw new ApprovalRefusedException($"{approver.Name} cannot approve {this}: {approver.Name} already approved it");
        }
        _votes.Add(new ApprovalVote(approver.Name, true, comment, at));
        if (_votes.Count(v => v.Approved) < rule.Required)
        {
            return false;
        }
        MoveTo(PromotionStatus.Approved);
        return true;
    }

    /// <summary>One rejection ends the promotion.</summary>
    public void Reject(ApprovalRule rule, Actor approver, DateTimeOffset at, string? comment = null)
    {
        Admit(rule, approver, "reject");
        _votes.Add(new ApprovalVote(approver.Name, false, comment, at));
        MoveTo(PromotionStatus.Rejected);
    }

    private void Admit(ApprovalRule rule, Actor approver, string verb)
    {
        if (Status != PromotionStatus.AwaitingApproval)
        {
            throw new ApprovalRefusedException($"{approver.Name} cannot {verb} {this}: it is {Status.ToText()}, not awaiting_approval");
        }
        if (!rule.AllowSelf && approver.Name == RequestedBy)
        {
            throw new ApprovalRefusedException(
                $"{approver.Name} cannot {verb} {this}: {approver.Name} requested it, and {Environment} does not allow self-approval");
        }
        if (!rule.Admits(approver))
        {
            throw new ApprovalRefusedException(
                $"{approver.Name} cannot {verb} {this}: approvals for {Environment} come from {string.Join(", ", rule.From)}");
        }
    }
}
