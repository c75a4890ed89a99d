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
    /// <summary>A person forced a promotion or rollback over an instance's drift: its hand edits get overwritten.</summary>
    public const string DriftOverwritten = "drift_overwritten";
    public const string ReleaseDisabled = "release_disabled";
    public const string ReleaseEnabled = "release_enabled";
    public const string VariableSet = "variable_set";
    public const string VariableDeleted = "variable_deleted";
    /// <summary>The pipeline was destroyed, with its builds, versions and environments; its audit entries stay.</summary>
    public const string PipelineDestroyed = "pipeline_destroyed";
    /// <summary>A new config version was set; the detail names its number and any protection an owner took away.</summary>
    public const string ConfigSet = "config_set";
    // Users and tokens: entries of no pipeline, which only owners read.
    public const string UserAdded = "user_added";
    public const string UserChanged = "user_changed";
    public const string UserRemoved = "user_removed";
    public const string RoleSet = "role_set";
    public const string RoleRemoved = "role_removed";
    public const string TokenCreated = "token_created";
    public const string TokenRevoked = "token_revoked";
}
