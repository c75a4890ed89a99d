using Ferry.Core.Promotion;

namespace Ferry.Storage;

/// <param name="CurrentRelease">The last release verified here (also after a later failure: the last good one).</param>
/// <param name="LastPromotionStatus">The newest promotion's status: shows "failed" while <paramref name="CurrentRelease"/> stays.</param>
public sealed record EnvironmentRecord(
    int Id,
    int PipelineId,
    string Name,
    IReadOnlyList<string> Upstream,
    bool AnyUpstream,
    bool Active,
    int? CurrentRelease,
    DateTimeOffset? CurrentSince,
    string? CurrentBy,
    Hold? Hold,
    long? LastPromotionId,
    PromotionStatus? LastPromotionStatus,
    bool PromotionOpen)
{
    public EnvironmentNode ToNode() => new(Name, Upstream, AnyUpstream);

    public EnvironmentState ToState() => new(CurrentRelease is { } n ? ReleaseName.Of(n) : null, Hold, PromotionOpen);
}

/// <summary>One version a release carries, by id (the store reads its resource name and fields).</summary>
public sealed record ReleaseVersionInput(int ResourceId, long VersionId);

public sealed record ReleaseVersionRecord(string Resource, int ResourceId, long VersionId, IReadOnlyDictionary<string, string> Version);

/// <param name="VerifiedIn">Environments the release is verified in.</param>
/// <param name="FailedIn">Environments where its newest finished promotion failed, errored or was aborted.</param>
public sealed record ReleaseRecord(
    long Id,
    int PipelineId,
    int Number,
    Release Content,
    IReadOnlyList<ReleaseVersionRecord> Versions,
    long? SourceBuildId,
    bool Disabled,
    DateTimeOffset CreatedAt,
    IReadOnlyList<string> VerifiedIn,
    IReadOnlyList<string> FailedIn)
{
    public string Name => ReleaseName.Of(Number);

    public ReleaseStanding ToStanding() => new(Name, Number, new HashSet<string>(VerifiedIn, StringComparer.Ordinal), Disabled,
        new HashSet<string>(FailedIn, StringComparer.Ordinal));
}

public sealed record SavedRelease(ReleaseRecord Release, bool IsNew);

/// <param name="Approval">The environment's approval rule; with Required above 0 the promotion waits for approval.</param>
public sealed record NewPromotion(int PipelineId, string Environment, int ReleaseNumber, PromotionTrigger Trigger, string RequestedBy, ApprovalRule? Approval = null);

public sealed record PromotionRecord(
    long Id,
    int PipelineId,
    int EnvironmentId,
    string Environment,
    long ReleaseId,
    int ReleaseNumber,
    PromotionTrigger Trigger,
    PromotionStatus Status,
    string RequestedBy,
    long? BuildId,
    string? Reason,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? EndedAt,
    IReadOnlyList<ApprovalVote> Votes)
{
    public string Release => ReleaseName.Of(ReleaseNumber);

    public Promotion ToEntity() => new(Id, Environment, Release, RequestedBy, Trigger, Status, Votes);
}

/// <param name="Value">The plain value; always null for a secret (and for a key without a value).</param>
public sealed record VariableRecord(string Name, string? Value, bool Secret, bool HasValue, DateTimeOffset UpdatedAt, string? UpdatedBy);

public sealed record AuditRecord(
    long Id,
    int PipelineId,
    string? Environment,
    DateTimeOffset At,
    string Actor,
    string Action,
    long? PromotionId,
    int? ReleaseNumber,
    string? Detail);

/// <summary>The <see cref="AuditRecord.Action"/> values.</summary>
public static class AuditActions
{
    public const string Promotion = "promotion";
    public const string Rollback = "rollback";
    public const string Approval = "approval";
    public const string Rejection = "rejection";
    public const string Hold = "hold";
    public const string HoldLifted = "hold_lifted";
    /// <summary>A promotion ended: the detail is its status (succeeded, failed, errored, aborted).</summary>
    public const string PromotionFinished = "promotion_finished";
    public const string ReleaseDisabled = "release_disabled";
    public const string ReleaseEnabled = "release_enabled";
    public const string VariableSet = "variable_set";
    public const string VariableDeleted = "variable_deleted";
}
