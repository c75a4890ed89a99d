using Dapper;
using Ferry.Core.Audit;
using Ferry.Storage.Pipelines;
using Ferry.Storage.Secrets;

namespace Ferry.Storage.Sql;

internal sealed partial class SqlStore
{
    private const string PipelineColumns = "id, name, paused, current_config, created_at, updated_at, team";

    public Task<PipelineConfigVersion> SetPipelineAsync(PipelineConfigInput input, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(input.PipelineName))
        {
            throw new ArgumentException("setting a pipeline: the pipeline name is empty", nameof(input));
        }
        return Changed(WriteAsync(async scope =>
        {
            var now = Now;
            var c = scope.Connection;
            var pipelineId = await c.ExecuteScalarAsync<long>(Cmd(scope,
                "INSERT INTO pipelines (name, paused, created_at, updated_at, team) VALUES (@Name, @Paused, @Now, @Now, COALESCE(@Team, @DefaultTeam)) " +
                "ON CONFLICT (name) DO UPDATE SET updated_at = excluded.updated_at, team = COALESCE(@Team, pipelines.team) RETURNING id",
                new { Name = input.PipelineName, Paused = input.PausedIfNew, Now = now, input.Team, PipelineRecord.DefaultTeam }, cancellationToken));
            var number = 1 + await c.ExecuteScalarAsync<long>(Cmd(scope,
                "SELECT COALESCE(MAX(number), 0) FROM pipeline_configs WHERE pipeline_id = @pipelineId", new { pipelineId }, cancellationToken));
            var (vars, secretValues) = SealedColumns.SplitVars(_secrets, input.Vars, input.SecretVars, SealedColumns.PipelineVars(pipelineId, number));
            await c.ExecuteAsync(Cmd(scope,
                "INSERT INTO pipeline_configs (pipeline_id, number, yaml, vars, secret_vars, secret_values, created_at, created_by) " +
                "VALUES (@pipelineId, @number, @Yaml, @vars, @SecretVars, @secretValues, @now, @CreatedBy)",
                new { pipelineId, number, input.Yaml, vars, SecretVars = System.Text.Json.JsonSerializer.Serialize(input.SecretVars), secretValues, now, input.CreatedBy }, cancellationToken));
            await c.ExecuteAsync(Cmd(scope, "UPDATE pipelines SET current_config = @number WHERE id = @pipelineId", new { pipelineId, number }, cancellationToken));
            await SyncResourcesAsync(scope, pipelineId, input.Resources, input.SecretVars.Count > 0, cancellationToken);
            await SyncJobsAsync(scope, pipelineId, input.Jobs, cancellationToken);
            await AuditAsync(scope, (int)pipelineId, null, input.CreatedBy ?? "anonymous", AuditActions.ConfigSet, null, null,
                input.AuditDetail is null ? $"config {number}" : $"config {number}: {input.AuditDetail}", cancellationToken);
            return new PipelineConfigVersion((int)pipelineId, (int)number, input.Yaml, input.Vars, Col.Time(now), input.CreatedBy) { SecretVars = input.SecretVars };
        }, cancellationToken), Events.PipelineChangeKind.Pipeline, config => config.PipelineId);
    }

    public Task<PipelineRecord?> GetPipelineAsync(string name, CancellationToken cancellationToken = default) =>
        ReadAsync(async c => (await c.QuerySingleOrDefaultAsync<PipelineRow>(Cmd(
            $"SELECT {PipelineColumns} FROM pipelines WHERE name = @name", new { name }, cancellationToken)))?.ToRecord(), cancellationToken);

    public Task<PipelineRecord?> GetPipelineByIdAsync(int id, CancellationToken cancellationToken = default) =>
        ReadAsync(async c => (await c.QuerySingleOrDefaultAsync<PipelineRow>(Cmd(
            $"SELECT {PipelineColumns} FROM pipelines WHERE id = @id", new { id = (long)id }, cancellationToken)))?.ToRecord(), cancellationToken);

    public Task<IReadOnlyList<PipelineRecord>> ListPipelinesAsync(CancellationToken cancellationToken = default) =>
        ReadAsync<IReadOnlyList<PipelineRecord>>(async c => [.. (await c.QueryAsync<PipelineRow>(Cmd(
            $"SELECT {PipelineColumns} FROM pipelines ORDER BY name", null, cancellationToken))).Select(r => r.ToRecord())], cancellationToken);

    public Task<PipelineConfigVersion?> GetPipelineConfigAsync(int pipelineId, int? number = null, CancellationToken cancellationToken = default) =>
        ReadAsync(async c => (await c.QuerySingleOrDefaultAsync<PipelineConfigRow>(Cmd(
            $"SELECT {PipelineConfigRow.Columns} FROM pipeline_configs " +
            "WHERE pipeline_id = @pipelineId AND number = COALESCE(@number, (SELECT current_config FROM pipelines WHERE id = @pipelineId))",
            new { pipelineId = (long)pipelineId, number = (long?)number }, cancellationToken)))?.ToRecord(_secrets), cancellationToken);

    public Task<IReadOnlyList<PipelineConfigVersion>> ListPipelineConfigsAsync(int pipelineId, CancellationToken cancellationToken = default) =>
        ReadAsync<IReadOnlyList<PipelineConfigVersion>>(async c => [.. (await c.QueryAsync<PipelineConfigRow>(Cmd(
            $"SELECT {PipelineConfigRow.Columns} FROM pipeline_configs WHERE pipeline_id = @pipelineId ORDER BY number DESC",
            new { pipelineId = (long)pipelineId }, cancellationToken))).Select(r => r.ToRecord(_secrets))], cancellationToken);

    public async Task<bool> SetPipelinePausedAsync(string name, bool paused, CancellationToken cancellationToken = default) =>
        await Changed(WriteAsync(async scope => await scope.Connection.ExecuteScalarAsync<long?>(Cmd(scope,
            "UPDATE pipelines SET paused = @paused, updated_at = @now WHERE name = @name RETURNING id", new { name, paused, now = Now }, cancellationToken)),
            cancellationToken), Events.PipelineChangeKind.Pipeline, id => (int?)id) is not null;

    public Task<bool> DestroyPipelineAsync(string name, string actor, CancellationToken cancellationToken = default) =>
        WriteAsync(async scope =>
        {
            var id = await scope.Connection.ExecuteScalarAsync<long?>(Cmd(scope, "SELECT id FROM pipelines WHERE name = @name", new { name }, cancellationToken));
            if (id is null)
            {
                return false;
            }
            // Written first, while the entry can still name the pipeline; the delete then only clears its pipeline id.
            await AuditAsync(scope, (int)id, null, actor, AuditActions.PipelineDestroyed, null, null, null, cancellationToken);
            return await scope.Connection.ExecuteAsync(Cmd(scope, "DELETE FROM pipelines WHERE id = @id", new { id }, cancellationToken)) > 0;
        }, cancellationToken);
}
