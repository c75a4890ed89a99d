using Ferry.Core.Promotion;

namespace Ferry.Storage.Environments;

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
        new HashSet<string>(FailedIn, StringComparer.Ordinal), Content);
}

public sealed record SavedRelease(ReleaseRecord Release, bool IsNew);

/// <summary>What to load an <see cref="Core.Promotion.Environment"/> aggregate with.</summary>
/// <param name="Policy">Its settings from the pipeline's current config (the store keeps none of them).</param>
/// <param name="Releases">Releases the call may touch (the current one is always loaded).</param>
/// <param name="Promotions">Promotions the call may touch beyond the open ones (an approval of one that ended is refused by it).</param>
public sealed record EnvironmentLoad(int EnvironmentId, EnvironmentPolicy Policy, IReadOnlyCollection<int>? Releases = null,
    IReadOnlyCollection<long>? Promotions = null);

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
    IReadOnlyList<ApprovalVote> Votes,
    bool Forced = false)
{
    public string Release => ReleaseName.Of(ReleaseNumber);

    public Promotion ToEntity() => new(Id, Environment, ReleaseNumber, RequestedBy, Trigger, Status, Votes, BuildId, Reason, Forced);
}

/// <param name="Value">The plain value; always null for a secret (and for a key without a value).</param>
public sealed record VariableRecord(string Name, string? Value, bool Secret, bool HasValue, DateTimeOffset UpdatedAt, string? UpdatedBy);
