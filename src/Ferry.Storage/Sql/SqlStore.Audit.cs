using Dapper;
using Ferry.Storage.Audit;
using Ferry.Storage.Environments;

namespace Ferry.Storage.Sql;

/// <summary>
/// The audit log. Each entry keeps its pipeline's name, so destroying a pipeline leaves its history (and the destroy
/// itself) in place; the entry's pipeline id goes NULL with the pipeline.
/// </summary>
internal sealed partial class SqlStore
{
    private const string AuditColumns = "id, pipeline_id, pipeline_name, environment, at, actor, action, promotion_id, release_number, detail";

    private Task AuditAsync(WriteScope scope, int pipelineId, string? environment, string actor, string action, long? promotionId, int? releaseNumber,
        string? detail, CancellationToken cancellationToken) =>
        scope.Connection.ExecuteAsync(Cmd(scope,
            "INSERT INTO audit_log (pipeline_id, pipeline_name, environment, at, actor, action, promotion_id, release_number, detail) " +
            "VALUES (@pipelineId, (SELECT name FROM pipelines WHERE id = @pipelineId), @environment, @at, @actor, @action, @promotionId, @releaseNumber, @detail)",
            new { pipelineId = (long)pipelineId, environment, at = Now, actor, action, promotionId, releaseNumber = (long?)releaseNumber, detail }, cancellationToken));

    public Task AuditIdentityAsync(string actor, string action, string detail, CancellationToken cancellationToken = default) =>
        WriteAsync(scope => scope.Connection.ExecuteAsync(Cmd(scope,
            "INSERT INTO audit_log (pipeline_id, pipeline_name, environment, at, actor, action, promotion_id, release_number, detail) " +
            "VALUES (NULL, '', NULL, @at, @actor, @action, NULL, NULL, @detail)",
            new { at = Now, actor, action, detail }, cancellationToken)), cancellationToken);

    public Task<IReadOnlyList<AuditLogEntry>> ListAuditAsync(int pipelineId, int limit = 200, CancellationToken cancellationToken = default) =>
        ReadAsync<IReadOnlyList<AuditLogEntry>>(async c => [.. (await c.QueryAsync<AuditLogEntryRow>(Cmd(
            $"SELECT {AuditColumns} FROM audit_log WHERE pipeline_id = @pipelineId ORDER BY id DESC LIMIT @limit",
            new { pipelineId = (long)pipelineId, limit = (long)limit }, cancellationToken))).Select(r => r.ToEntry())], cancellationToken);

    public Task<IReadOnlyList<AuditLogEntry>> ListAuditLogAsync(string? pipelineName = null, int limit = 200, CancellationToken cancellationToken = default) =>
        ReadAsync<IReadOnlyList<AuditLogEntry>>(async c => [.. (await c.QueryAsync<AuditLogEntryRow>(Cmd(
            $"SELECT {AuditColumns} FROM audit_log WHERE @pipelineName IS NULL OR pipeline_name = @pipelineName ORDER BY id DESC LIMIT @limit",
            new { pipelineName, limit = (long)Math.Max(1, limit) }, cancellationToken))).Select(r => r.ToEntry())], cancellationToken);
}
