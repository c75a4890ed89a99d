using System.Text.Json;
using Ferry.Core.Promotion;
using Ferry.Storage.Sql;

namespace Ferry.Storage.Environments;

internal sealed class EnvironmentRow
{
    /// <summary>Promotions that are not finished: they keep automatic promotion away from the environment.</summary>
    public const string OpenStatuses = "('pending', 'awaiting_approval', 'approved', 'deploying', 'verifying')";

    public const string Select =
        "SELECT e.id, e.pipeline_id, e.name, e.upstream, e.any_upstream, e.active, e.version, r.number AS current_release, e.current_since, e.current_by, " +
        "e.hold_by, e.hold_reason, e.hold_at, " +
        "(SELECT p.id FROM promotions p WHERE p.environment_id = e.id ORDER BY p.id DESC LIMIT 1) AS last_promotion_id, " +
        "(SELECT p.status FROM promotions p WHERE p.environment_id = e.id ORDER BY p.id DESC LIMIT 1) AS last_promotion_status, " +
        $"(SELECT COUNT(*) FROM promotions p WHERE p.environment_id = e.id AND p.status IN {OpenStatuses}) AS open_promotions " +
        "FROM environments e LEFT JOIN releases r ON r.id = e.current_release_id";

    public long Id { get; set; }
    public long PipelineId { get; set; }
    public string Name { get; set; } = "";
    public string Upstream { get; set; } = "[]";
    public bool AnyUpstream { get; set; }
    public bool Active { get; set; }
    public long Version { get; set; }
    public long? CurrentRelease { get; set; }
    public long? CurrentSince { get; set; }
    public string? CurrentBy { get; set; }
    public string? HoldBy { get; set; }
    public string? HoldReason { get; set; }
    public long? HoldAt { get; set; }
    public long? LastPromotionId { get; set; }
    public string? LastPromotionStatus { get; set; }
    public long OpenPromotions { get; set; }

    public EnvironmentRecord ToRecord() => new(
        (int)Id, (int)PipelineId, Name, JsonSerializer.Deserialize<string[]>(Upstream) ?? [], AnyUpstream, Active,
        (int?)CurrentRelease, Col.Time(CurrentSince), CurrentBy,
        HoldBy is null ? null : new Hold(HoldBy, HoldReason ?? "", Col.Time(HoldAt ?? 0)),
        LastPromotionId, LastPromotionStatus is null ? null : PromotionStates.ParseStatus(LastPromotionStatus), OpenPromotions > 0);
}

internal sealed class ReleaseRow
{
    public const string Columns = "r.id, r.pipeline_id, r.number, r.content, r.source_build_id, r.disabled, r.created_at";

    public long Id { get; set; }
    public long PipelineId { get; set; }
    public long Number { get; set; }
    public string Content { get; set; } = "";
    public long? SourceBuildId { get; set; }
    public bool Disabled { get; set; }
    public long CreatedAt { get; set; }
}

internal sealed class ReleaseVersionRow
{
    public long ReleaseId { get; set; }
    public string Resource { get; set; } = "";
    public long ResourceId { get; set; }
    public long VersionId { get; set; }
    public string Version { get; set; } = "{}";
}

internal sealed class ReleaseEnvironmentRow
{
    public long ReleaseId { get; set; }
    public string Name { get; set; } = "";
}

internal sealed class PromotionRow
{
    public const string Select =
        "SELECT p.id, p.pipeline_id, p.environment_id, e.name AS environment, p.release_id, r.number AS release_number, p.trigger_kind, " +
        "p.status, p.requested_by, p.build_id, p.reason, p.created_at, p.updated_at, p.ended_at, p.forced " +
        "FROM promotions p JOIN environments e ON e.id = p.environment_id JOIN releases r ON r.id = p.release_id";

    public long Id { get; set; }
    public long PipelineId { get; set; }
    public long EnvironmentId { get; set; }
    public string Environment { get; set; } = "";
    public long ReleaseId { get; set; }
    public long ReleaseNumber { get; set; }
    public string TriggerKind { get; set; } = "";
    public string Status { get; set; } = "";
    public string RequestedBy { get; set; } = "";
    public long? BuildId { get; set; }
    public string? Reason { get; set; }
    public long CreatedAt { get; set; }
    public long UpdatedAt { get; set; }
    public long? EndedAt { get; set; }
    public bool Forced { get; set; }

    public PromotionRecord ToRecord(IReadOnlyList<ApprovalVote> votes) => new(
        Id, (int)PipelineId, (int)EnvironmentId, Environment, ReleaseId, (int)ReleaseNumber, PromotionStates.ParseTrigger(TriggerKind),
        PromotionStates.ParseStatus(Status), RequestedBy, BuildId, Reason, Col.Time(CreatedAt), Col.Time(UpdatedAt), Col.Time(EndedAt), votes, Forced);
}

internal sealed class ApprovalRow
{
    public long PromotionId { get; set; }
    public string Approver { get; set; } = "";
    public bool Approved { get; set; }
    public string? Comment { get; set; }
    public long CreatedAt { get; set; }

    public ApprovalVote ToVote() => new(Approver, Approved, Comment, Col.Time(CreatedAt));
}

internal sealed class VariableRow
{
    public string Name { get; set; } = "";
    public string? Value { get; set; }
    public bool Secret { get; set; }
    public long UpdatedAt { get; set; }
    public string? UpdatedBy { get; set; }
}
