using System.Text.Json.Nodes;

namespace Ferry.Storage.Pipelines;

public interface IPipelineStore
{
    /// <summary>
    /// Stores a new config version of the pipeline (creating the pipeline, paused if asked, when it is new) and syncs
    /// its resources and jobs in the same transaction: upserted by name; those no longer in the config become inactive.
    /// </summary>
    Task<PipelineConfigVersion> SetPipelineAsync(PipelineConfigInput input, CancellationToken cancellationToken = default);

    Task<PipelineRecord?> GetPipelineAsync(string name, CancellationToken cancellationToken = default);

    Task<PipelineRecord?> GetPipelineByIdAsync(int id, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<PipelineRecord>> ListPipelinesAsync(CancellationToken cancellationToken = default);

    /// <summary>The config version <paramref name="number"/>, or the current one when null.</summary>
    Task<PipelineConfigVersion?> GetPipelineConfigAsync(int pipelineId, int? number = null, CancellationToken cancellationToken = default);

    /// <summary>All config versions of the pipeline, newest first.</summary>
    Task<IReadOnlyList<PipelineConfigVersion>> ListPipelineConfigsAsync(int pipelineId, CancellationToken cancellationToken = default);

    /// <summary>False when there is no such pipeline.</summary>
    Task<bool> SetPipelinePausedAsync(string name, bool paused, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes the pipeline with its configs, resources, versions, jobs, builds and events; its audit entries stay, and
    /// one more says <paramref name="actor"/> destroyed it. False when there is no such pipeline.
    /// </summary>
    Task<bool> DestroyPipelineAsync(string name, string actor, CancellationToken cancellationToken = default);
}

/// <param name="Vars">The vars given at set time (<c>-v</c>, <c>-l</c>), kept with the config version.</param>
/// <param name="PausedIfNew">Whether a pipeline created by this call starts paused (<c>set-pipeline --paused</c>).</param>
public sealed record PipelineConfigInput(
    string PipelineName,
    string Yaml,
    JsonObject Vars,
    string? CreatedBy,
    IReadOnlyList<ResourceDefinition> Resources,
    IReadOnlyList<JobDefinition> Jobs,
    bool PausedIfNew = false)
{
    /// <summary>Names among <see cref="Vars"/> given as secret (<c>set-pipeline --secret-var</c>): redacted from logs.</summary>
    public IReadOnlyList<string> SecretVars { get; init; } = [];

    /// <summary>The team the pipeline belongs to from now on; null keeps an existing pipeline's team and gives a new one <see cref="PipelineRecord.DefaultTeam"/>.</summary>
    public string? Team { get; init; }

    /// <summary>What the audit entry of this config change adds (protection an owner took away), after the config's number.</summary>
    public string? AuditDetail { get; init; }
}

public sealed record PipelineRecord(
    int Id,
    string Name,
    bool Paused,
    int? CurrentConfigNumber,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    /// <summary>The team of a pipeline set without <c>--team</c>.</summary>
    public const string DefaultTeam = "main";

    /// <summary>The team the pipeline belongs to: its users' roles there say what they may do with it.</summary>
    public string Team { get; init; } = DefaultTeam;
}

public sealed record PipelineConfigVersion(
    int PipelineId,
    int Number,
    string Yaml,
    JsonObject Vars,
    DateTimeOffset CreatedAt,
    string? CreatedBy)
{
    /// <summary>Names among <see cref="Vars"/> that are secret: their values are redacted from build logs.</summary>
    public IReadOnlyList<string> SecretVars { get; init; } = [];
}

/// <summary>
/// A resource as a config version declares it. <paramref name="Type"/> and <paramref name="Source"/> define its version
/// history: when they change, the resource starts a new scope and older versions are no longer candidates.
/// </summary>
/// <param name="Config">The whole resource config (check_every, webhook_token, icon, …) for the engine to read back.</param>
public sealed record ResourceDefinition(string Name, string Type, JsonObject Source, JsonObject Config, string? WebhookToken = null);

/// <param name="Config">The job config (plan, serial, serial_groups, max_in_flight, …) for the engine to read back.</param>
public sealed record JobDefinition(string Name, JsonObject Config);
