namespace Ferry.Core.Audit;

/// <summary>
/// One line of the audit log as a decision writes it: who did what, to which promotion or release, and a detail. The
/// store adds the time, the pipeline and the environment; <see cref="Promotion"/> is resolved to its id once saved.
/// </summary>
public sealed record AuditEntry(string Actor, string Action, Promotion.Promotion? Promotion = null, int? ReleaseNumber = null, string? Detail = null);

/// <summary>The <see cref="AuditEntry.Action"/> values.</summary>
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
    /// <summary>The pipeline was destroyed, with its builds, versions and environments; its audit entries stay.</summary>
    public const string PipelineDestroyed = "pipeline_destroyed";
}
