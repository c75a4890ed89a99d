using Ferry.Core.Promotion;

namespace Ferry.Storage;

/// <summary>
/// Environments, releases, promotions, approvals, variables and the audit log. The store is the last guard of "no
/// skipping": <see cref="CreatePromotionAsync"/> checks eligibility inside its transaction, whoever asks.
/// </summary>
public interface IPromotionStore
{
    /// <summary>Upserts the pipeline's environments by name (upstream, from_policy); those no longer listed become inactive.</summary>
    /// <exception cref="ArgumentException">The environments do not form a DAG (unknown upstream, cycle, duplicate).</exception>
    Task<IReadOnlyList<EnvironmentRecord>> SyncEnvironmentsAsync(int pipelineId, IReadOnlyList<EnvironmentNode> environments, CancellationToken cancellationToken = default);

    /// <summary>
    /// Environments that left the pipeline (inactive) after a promotion into them and are not torn down yet: the
    /// promoter runs the teardown of those that are per-pull-request environments, and marks each.
    /// </summary>
    Task<IReadOnlyList<EnvironmentRecord>> ListRetiredEnvironmentsAsync(int pipelineId, CancellationToken cancellationToken = default);

    /// <summary>Marks an inactive environment torn down, by <paramref name="buildId"/> (null: nothing to run); it is listed as retired no more.</summary>
    Task MarkTornDownAsync(int environmentId, long? buildId, CancellationToken cancellationToken = default);

    /// <summary>Active environments in upstream-first order.</summary>
    Task<IReadOnlyList<EnvironmentRecord>> ListEnvironmentsAsync(int pipelineId, CancellationToken cancellationToken = default);

    Task<EnvironmentRecord?> GetEnvironmentAsync(int pipelineId, string name, CancellationToken cancellationToken = default);

    /// <summary>Sets (or, with null, lifts) the hold on an environment; audited as <c>hold</c> / <c>hold_lifted</c>.</summary>
    Task<EnvironmentRecord> SetHoldAsync(int environmentId, Hold? hold, string actor, CancellationToken cancellationToken = default);

    /// <summary>
    /// Forms the release of these versions (resource id -> version id), content-addressed: the same set returns the
    /// existing release (<see cref="SavedRelease.IsNew"/> false); a new one gets the pipeline's next number.
    /// </summary>
    Task<SavedRelease> SaveReleaseAsync(int pipelineId, IReadOnlyList<ReleaseVersionInput> versions, long? sourceBuildId = null, CancellationToken cancellationToken = default);

    Task<ReleaseRecord?> GetReleaseAsync(int pipelineId, int number, CancellationToken cancellationToken = default);

    /// <summary>Newest first.</summary>
    Task<IReadOnlyList<ReleaseRecord>> ListReleasesAsync(int pipelineId, int limit = 100, CancellationToken cancellationToken = default);

    /// <summary>False when there is no such release.</summary>
    Task<bool> SetReleaseDisabledAsync(int pipelineId, int number, bool disabled, string actor, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records a promotion (pending, or awaiting_approval when <see cref="NewPromotion.Approval"/> requires any) after
    /// checking, in the same transaction, that the release is eligible (verified upstream; for a rollback, verified in
    /// the environment itself). A rollback sets a hold; a manual promotion lifts one. Audited.
    /// </summary>
    /// <exception cref="PromotionRefusedException">The release may not go there; the refusal says why.</exception>
    /// <exception cref="StoreException">No such environment or release.</exception>
    Task<PromotionRecord> CreatePromotionAsync(NewPromotion promotion, CancellationToken cancellationToken = default);

    Task<PromotionRecord?> GetPromotionAsync(long id, CancellationToken cancellationToken = default);

    /// <summary>Newest first; one environment's when <paramref name="environment"/> is given.</summary>
    Task<IReadOnlyList<PromotionRecord>> ListPromotionsAsync(int pipelineId, string? environment = null, int limit = 100, CancellationToken cancellationToken = default);

    /// <summary>Promotions in these states across pipelines, oldest first (the promoter loop's queue).</summary>
    Task<IReadOnlyList<PromotionRecord>> ListPromotionsInStatusAsync(IReadOnlyList<PromotionStatus> statuses, int limit = 100, CancellationToken cancellationToken = default);

    /// <summary>
    /// Moves a promotion through its states as <see cref="Promotion"/> allows. Deploying needs no other promotion
    /// deploying or verifying in the environment. Succeeded records the release as verified in the environment and
    /// makes it current there, in the same transaction.
    /// </summary>
    /// <exception cref="PromotionStateException">The move is not allowed; names the promotion and both states.</exception>
    Task<PromotionRecord> MovePromotionAsync(long id, PromotionStatus to, string? reason = null, long? buildId = null, CancellationToken cancellationToken = default);

    /// <summary>An approval (yes) or rejection (no) under the environment's rule; audited as <c>approval</c> / <c>rejection</c>.</summary>
    /// <exception cref="ApprovalRefusedException">Not awaiting approval, self-approval, not an allowed approver, or a second yes.</exception>
    Task<PromotionRecord> DecideApprovalAsync(long promotionId, ApprovalRule rule, Actor approver, bool approve, string? comment = null, CancellationToken cancellationToken = default);

    /// <summary>Sets a plain or secret value (a secret is encrypted at rest), or a key without a value when <paramref name="value"/> is null.</summary>
    Task SetVariableAsync(int environmentId, string name, string? value, bool secret, string actor, CancellationToken cancellationToken = default);

    Task<bool> DeleteVariableAsync(int environmentId, string name, string actor, CancellationToken cancellationToken = default);

    /// <summary>Keys with plain values; secret values are never returned here (<see cref="VariableRecord.Value"/> null).</summary>
    Task<IReadOnlyList<VariableRecord>> ListVariablesAsync(int environmentId, CancellationToken cancellationToken = default);

    /// <summary>Every key with a value, secrets decrypted: only for the deploy and verify tasks' environment.</summary>
    Task<IReadOnlyDictionary<string, string>> GetVariableValuesAsync(int environmentId, CancellationToken cancellationToken = default);

    /// <summary>Newest first.</summary>
    Task<IReadOnlyList<AuditRecord>> ListAuditAsync(int pipelineId, int limit = 200, CancellationToken cancellationToken = default);
}
