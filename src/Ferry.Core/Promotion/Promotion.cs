namespace Ferry.Core.Promotion;

/// <summary>
/// Deploying one release into one environment, then verifying it there. Guards its own state: every change goes
/// through <see cref="MoveTo"/>, which refuses what <see cref="PromotionStates"/> does not allow (no succeeded after
/// failed), and approvals go through <see cref="Approve"/> and <see cref="Reject"/>, which apply the approval rule.
/// Only its <see cref="Environment"/> aggregate changes it; the store saves what changed.
/// </summary>
public sealed class Promotion
{
    private readonly List<ApprovalVote> _votes;
    private readonly List<ApprovalVote> _newVotes = [];

    public Promotion(long id, string environment, int releaseNumber, string requestedBy, PromotionTrigger trigger,
        PromotionStatus status = PromotionStatus.Pending, IEnumerable<ApprovalVote>? votes = null, long? buildId = null, string? reason = null, bool forced = false)
    {
        Id = id;
        Environment = environment;
        ReleaseNumber = releaseNumber;
        RequestedBy = requestedBy;
        Trigger = trigger;
        Status = status;
        BuildId = buildId;
        Reason = reason;
        Forced = forced;
        _votes = [.. votes ?? []];
    }

    /// <summary>0 until the store saved a new promotion (<see cref="AssignId"/>).</summary>
    public long Id { get; private set; }
    public string Environment { get; }
    public int ReleaseNumber { get; }
    /// <summary>The release's short name (<c>r7</c>).</summary>
    public string Release => ReleaseName.Of(ReleaseNumber);
    public string RequestedBy { get; }
    public PromotionTrigger Trigger { get; }
    public PromotionStatus Status { get; private set; }
    /// <summary>The build that deploys and verifies it, once started.</summary>
    public long? BuildId { get; private set; }
    /// <summary>Why it ended as it did (<c>verify failed</c>), when it says.</summary>
    public string? Reason { get; private set; }
    public IReadOnlyList<ApprovalVote> Votes => _votes;
    /// <summary>A person forced it over drift: its deploy overwrites what was edited by hand in the instance.</summary>
    public bool Forced { get; }
    /// <summary>Votes cast since it was loaded: the store adds them.</summary>
    public IReadOnlyList<ApprovalVote> NewVotes => _newVotes;

    public bool IsFinished => PromotionStates.IsFinished(Status);

    public override string ToString() => Id == 0 ? $"promotion of {Release} into {Environment}" : $"promotion {Id} ({Release} into {Environment})";

    /// <summary>The store numbers a new promotion once, when it saves it.</summary>
    public void AssignId(long id)
    {
        if (Id != 0)
        {
            throw new PromotionStateException($"{this}: already has id {Id}");
        }
        Id = id;
    }

    public void MoveTo(PromotionStatus next, string? reason = null)
    {
        if (!PromotionStates.CanMove(Status, next))
        {
            throw new PromotionStateException($"{this}: cannot go from {Status.ToText()} to {next.ToText()}");
        }
        Status = next;
        Reason = reason ?? Reason;
    }

    /// <summary>Deploying, by <paramref name="buildId"/>.</summary>
    public void Start(long buildId)
    {
        MoveTo(PromotionStatus.Deploying);
        BuildId = buildId;
    }

    /// <summary>Counts a yes; moves to approved once <see cref="ApprovalRule.Required"/> distinct approvers said yes.</summary>
    /// <returns>Whether this vote made the promotion approved.</returns>
    /// <exception cref="PromotionRefusedException">Not awaiting approval, self-approval, not an approver, or a second yes.</exception>
    public bool Approve(ApprovalRule rule, Actor approver, DateTimeOffset at, string? comment = null)
    {
        Admit(rule, approver, "approve");
        if (_votes.Any(v => v.Approver == approver.Name))
        {
            throw Refused($"{approver.Name} cannot approve {this}: {approver.Name} already approved it");
        }
        Vote(new ApprovalVote(approver.Name, true, comment, at));
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
        Vote(new ApprovalVote(approver.Name, false, comment, at));
        MoveTo(PromotionStatus.Rejected, $"rejected by {approver.Name}");
    }

    private void Vote(ApprovalVote vote)
    {
        _votes.Add(vote);
        _newVotes.Add(vote);
    }

    private void Admit(ApprovalRule rule, Actor approver, string verb)
    {
        if (Status != PromotionStatus.AwaitingApproval)
        {
            throw Refused($"{approver.Name} cannot {verb} {this}: it is {Status.ToText()}, not awaiting_approval");
        }
        if (!rule.AllowSelf && approver.Name == RequestedBy)
        {
            throw Refused($"{approver.Name} cannot {verb} {this}: {approver.Name} requested it, and {Environment} does not allow self-approval");
        }
        if (!approver.SignedIn)
        {
            throw Refused($"{approver.Name} cannot {verb} {this}: only a signed-in user's approval counts");
        }
        if (!rule.Admits(approver))
        {
            throw Refused(rule.From.Count == 0
                ? $"{approver.Name} cannot {verb} {this}: approvals for {Environment} come from users with the operator role or more in the pipeline's team"
                : $"{approver.Name} cannot {verb} {this}: approvals for {Environment} come from {string.Join(", ", rule.From)}");
        }
    }

    private PromotionRefusedException Refused(string message) => new(Refusal.Approval(Environment, Release, message));
}
