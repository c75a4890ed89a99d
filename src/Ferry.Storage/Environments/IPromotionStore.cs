using Ferry.Core.Promotion;
using Environment = Ferry.Core.Promotion.Environment;

namespace Ferry.Storage.Environments;

/// <summary>
/// Environments, releases, promotions, approvals, variables and the audit log. The store keeps no promotion policy:
/// every change of promotion state is decided by the <see cref="Environment"/> aggregate inside
/// <see cref="ChangeEnvironmentAsync"/>, whoever asks.
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

    /// <summary>
    /// The active environments of several pipelines in one read (the dashboard): grouped by pipeline id, each group
    /// upstream-first as <see cref="ListEnvironmentsAsync(int, CancellationToken)"/> orders it; pipelines without any are absent.
    /// </summary>
    Task<IReadOnlyDictionary<int, IReadOnlyList<EnvironmentRecord>>> ListEnvironmentsAsync(IReadOnlyCollection<int> pipelineIds,
        CancellationToken cancellationToken = default);

    Task<EnvironmentRecord?> GetEnvironmentAsync(int pipelineId, string name, CancellationToken cancellationToken = default);

    /// <summary>The environment aggregate as it stands, to ask it (a preview's refusal); changes to it are not saved.</summary>
    /// <exception cref="StoreException">No such environment or release.</exception>
    Task<Environment> LoadEnvironmentAsync(EnvironmentLoad load, CancellationToken cancellationToken = default);

    /// <summary>
    /// Loads the environment aggregate, lets <paramref name="change"/> decide (promote, approve, start, finish, hold …)
    /// and saves what it changed, in one transaction. The save checks the aggregate's version: when another save came
    /// first, the whole is done again on fresh state (a few times). Exceptions of <paramref name="change"/> (refusals)
    /// roll everything back.
    /// </summary>
    Task<T> ChangeEnvironmentAsync<T>(EnvironmentLoad load, Func<Environment, T> change, CancellationToken cancellationToken = default);

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

    Task<PromotionRecord?> GetPromotionAsync(long id, CancellationToken cancellationToken = default);

    /// <summary>Newest first; one environment's when <paramref name="environment"/> is given.</summary>
    Task<IReadOnlyList<PromotionRecord>> ListPromotionsAsync(int pipelineId, string? environment = null, int limit = 100, CancellationToken cancellationToken = default);

    /// <summary>Promotions in these states across pipelines, oldest first (the promoter loop's queue).</summary>
    Task<IReadOnlyList<PromotionRecord>> ListPromotionsInStatusAsync(IReadOnlyList<PromotionStatus> statuses, int limit = 100, CancellationToken cancellationToken = default);

    /// <summary>Sets a plain or secret value (a secret is encrypted at rest), or a key without a value when <paramref name="value"/> is null.</summary>
    Task SetVariableAsync(int environmentId, string name, string? value, bool secret, string actor, CancellationToken cancellationToken = default);

    Task<bool> DeleteVariableAsync(int environmentId, string name, string actor, CancellationToken cancellationToken = default);

    /// <summary>Keys with plain values; secret values are never returned here (<see cref="VariableRecord.Value"/> null).</summary>
    Task<IReadOnlyList<VariableRecord>> ListVariablesAsync(int environmentId, CancellationToken cancellationToken = default);

    /// <summary>Every key with a value, secrets decrypted: only for the deploy and verify tasks' environment.</summary>
    Task<IReadOnlyDictionary<string, string>> GetVariableValuesAsync(int environmentId, CancellationToken cancellationToken = default);

    /// <summary>Newest first.</summary>
    Task<IReadOnlyList<AuditLogEntry>> ListAuditAsync(int pipelineId, int limit = 200, CancellationToken cancellationToken = default);
}
