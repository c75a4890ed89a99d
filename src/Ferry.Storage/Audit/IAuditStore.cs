namespace Ferry.Storage;

/// <summary>The audit log across pipelines, those destroyed included.</summary>
public interface IAuditStore
{
    /// <summary>
    /// Entries newest first: of every pipeline, or of every pipeline that had the name <paramref name="pipelineName"/>
    /// (one destroyed and set again included), at most <paramref name="limit"/>.
    /// </summary>
    Task<IReadOnlyList<AuditEntry>> ListAuditEntriesAsync(string? pipelineName = null, int limit = 200, CancellationToken cancellationToken = default);
}

/// <summary>One audit entry with the name of its pipeline; <paramref name="PipelineId"/> is null once the pipeline is destroyed.</summary>
public sealed record AuditEntry(
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

/// <summary>Audit actions of pipelines themselves (promotion actions are in <c>AuditActions</c>).</summary>
public static class PipelineAuditActions
{
    /// <summary>The pipeline was destroyed, with its builds, versions and environments; its audit entries stay.</summary>
    public const string Destroyed = "pipeline_destroyed";
}
