namespace Ferry.Storage.Audit;

/// <summary>The audit log across pipelines, those destroyed included.</summary>
public interface IAuditStore
{
    /// <summary>
    /// Entries newest first: of every pipeline, or of every pipeline that had the name <paramref name="pipelineName"/>
    /// (one destroyed and set again included), at most <paramref name="limit"/>.
    /// </summary>
    /// <summary>Records a change of users, roles or tokens: an entry of no pipeline (its <see cref="AuditLogEntry.Pipeline"/> is empty).</summary>
    Task AuditIdentityAsync(string actor, string action, string detail, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<AuditLogEntry>> ListAuditLogAsync(string? pipelineName = null, int limit = 200, CancellationToken cancellationToken = default);
}

/// <summary>
/// One audit entry with the name of its pipeline; <paramref name="PipelineId"/> is null once the pipeline is destroyed,
/// and <paramref name="Pipeline"/> is empty for a change of users, roles or tokens.
/// </summary>
public sealed record AuditLogEntry(
    long Id,
    string Pipeline,
    int? PipelineId,
    string? Environment,
    DateTimeOffset At,
    string Actor,
    string Action,
    long? PromotionId,
    int? ReleaseNumber,
    string? Detail);
