using System.Text.Json.Nodes;

namespace Ferry.Storage.Resources;

/// <summary>Resources and jobs of pipelines (created and retired by <see cref="IPipelineStore.SetPipelineAsync"/>) and their run state.</summary>
public interface IResourceStore
{
    Task<IReadOnlyList<ResourceRecord>> ListResourcesAsync(int pipelineId, bool includeInactive = false, CancellationToken cancellationToken = default);

    Task<ResourceRecord?> GetResourceAsync(int pipelineId, string name, CancellationToken cancellationToken = default);

    Task<ResourceRecord?> GetResourceByIdAsync(int resourceId, CancellationToken cancellationToken = default);

    /// <summary>Active resources of unpaused pipelines whose next check time is unset or not after <paramref name="now"/>.</summary>
    Task<IReadOnlyList<ResourceRecord>> ListResourcesDueForCheckAsync(DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Records a check: when it ran, its error (null on success) and when to check next (back-off lives in the checker).</summary>
    Task RecordCheckAsync(int resourceId, DateTimeOffset checkedAt, string? error, DateTimeOffset? nextCheckAt, CancellationToken cancellationToken = default);

    /// <summary>Asks for a check as soon as possible (webhook, <c>ferry check</c>): sets the next check time to now.</summary>
    Task RequestCheckAsync(int resourceId, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Pins the resource to one of its versions (<c>ferry pin</c>), or unpins when <paramref name="versionId"/> is null.</summary>
    Task PinVersionAsync(int resourceId, long? versionId, string? comment, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<JobRecord>> ListJobsAsync(int pipelineId, bool includeInactive = false, CancellationToken cancellationToken = default);

    Task<JobRecord?> GetJobAsync(int pipelineId, string name, CancellationToken cancellationToken = default);

    Task<JobRecord?> GetJobByIdAsync(int jobId, CancellationToken cancellationToken = default);

    Task SetJobPausedAsync(int jobId, bool paused, CancellationToken cancellationToken = default);
}

/// <param name="Scope">The version history scope; it grows when the type or source changes.</param>
/// <param name="Active">False once a config version no longer declares the resource (its history stays).</param>
public sealed record ResourceRecord(
    int Id,
    int PipelineId,
    string Name,
    string Type,
    JsonObject Source,
    JsonObject Config,
    string ConfigHash,
    int Scope,
    bool Active,
    string? WebhookToken,
    DateTimeOffset? LastCheckedAt,
    string? LastCheckError,
    DateTimeOffset? NextCheckAt,
    long? PinnedVersionId,
    string? PinComment);

public sealed record JobRecord(
    int Id,
    int PipelineId,
    string Name,
    JsonObject Config,
    bool Active,
    bool Paused,
    int BuildCount);
