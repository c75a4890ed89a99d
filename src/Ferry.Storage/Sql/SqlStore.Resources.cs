using Dapper;
using Ferry.Storage.Resources;

namespace Ferry.Storage.Sql;

internal sealed partial class SqlStore
{
    public Task<IReadOnlyList<ResourceRecord>> ListResourcesAsync(int pipelineId, bool includeInactive = false, CancellationToken cancellationToken = default) =>
        ReadAsync<IReadOnlyList<ResourceRecord>>(async c => [.. (await c.QueryAsync<ResourceRow>(Cmd(
            $"SELECT {ResourceRow.Columns} FROM resources WHERE pipeline_id = @pipelineId AND (active OR @includeInactive) ORDER BY name",
            new { pipelineId = (long)pipelineId, includeInactive }, cancellationToken))).Select(r => r.ToRecord(_secrets))], cancellationToken);

    public Task<ResourceRecord?> GetResourceAsync(int pipelineId, string name, CancellationToken cancellationToken = default) =>
        ReadAsync(async c => (await c.QuerySingleOrDefaultAsync<ResourceRow>(Cmd(
            $"SELECT {ResourceRow.Columns} FROM resources WHERE pipeline_id = @pipelineId AND name = @name",
            new { pipelineId = (long)pipelineId, name }, cancellationToken)))?.ToRecord(_secrets), cancellationToken);

    public Task<ResourceRecord?> GetResourceByIdAsync(int resourceId, CancellationToken cancellationToken = default) =>
        ReadAsync(async c => (await c.QuerySingleOrDefaultAsync<ResourceRow>(Cmd(
            $"SELECT {ResourceRow.Columns} FROM resources WHERE id = @resourceId", new { resourceId = (long)resourceId }, cancellationToken)))?.ToRecord(_secrets),
            cancellationToken);

    public Task<IReadOnlyList<ResourceRecord>> ListResourcesDueForCheckAsync(DateTimeOffset now, CancellationToken cancellationToken = default) =>
        ReadAsync<IReadOnlyList<ResourceRecord>>(async c => [.. (await c.QueryAsync<ResourceRow>(Cmd(
            $"SELECT {string.Join(", ", ResourceRow.Columns.Split(", ").Select(n => "r." + n))} FROM resources r JOIN pipelines p ON p.id = r.pipeline_id " +
            "WHERE r.active AND NOT p.paused AND (r.next_check_at IS NULL OR r.next_check_at <= @now) ORDER BY r.next_check_at, r.id",
            new { now = now.ToUnixTimeMilliseconds() }, cancellationToken))).Select(r => r.ToRecord(_secrets))], cancellationToken);

    public Task RecordCheckAsync(int resourceId, DateTimeOffset checkedAt, string? error, DateTimeOffset? nextCheckAt, CancellationToken cancellationToken = default) =>
        WriteAsync(scope => scope.Connection.ExecuteAsync(Cmd(scope,
            "UPDATE resources SET last_checked_at = @checkedAt, last_check_error = @error, next_check_at = @next WHERE id = @resourceId",
            new { resourceId = (long)resourceId, checkedAt = checkedAt.ToUnixTimeMilliseconds(), error, next = Col.Ms(nextCheckAt) }, cancellationToken)),
            cancellationToken);

    public Task RequestCheckAsync(int resourceId, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        WriteAsync(scope => scope.Connection.ExecuteAsync(Cmd(scope,
            "UPDATE resources SET next_check_at = @now WHERE id = @resourceId",
            new { resourceId = (long)resourceId, now = now.ToUnixTimeMilliseconds() }, cancellationToken)), cancellationToken);

    public Task PinVersionAsync(int resourceId, long? versionId, string? comment, CancellationToken cancellationToken = default) =>
        WriteAsync(async scope =>
        {
            if (versionId is { } id)
            {
                var owner = await scope.Connection.ExecuteScalarAsync<long?>(Cmd(scope,
                    "SELECT resource_id FROM versions WHERE id = @id", new { id }, cancellationToken));
                if (owner != resourceId)
                {
                    throw new StoreException($"pinning resource {resourceId}: version {id} is not a version of this resource");
                }
            }
            return await scope.Connection.ExecuteAsync(Cmd(scope,
                "UPDATE resources SET pinned_version_id = @versionId, pin_comment = @comment WHERE id = @resourceId",
                new { resourceId = (long)resourceId, versionId, comment = versionId is null ? null : comment }, cancellationToken));
        }, cancellationToken);

    public Task<IReadOnlyList<JobRecord>> ListJobsAsync(int pipelineId, bool includeInactive = false, CancellationToken cancellationToken = default) =>
        ReadAsync<IReadOnlyList<JobRecord>>(async c => [.. (await c.QueryAsync<JobRow>(Cmd(
            $"SELECT {JobRow.Columns} FROM jobs WHERE pipeline_id = @pipelineId AND (active OR @includeInactive) ORDER BY id",
            new { pipelineId = (long)pipelineId, includeInactive }, cancellationToken))).Select(r => r.ToRecord())], cancellationToken);

    public Task<JobRecord?> GetJobAsync(int pipelineId, string name, CancellationToken cancellationToken = default) =>
        ReadAsync(async c => (await c.QuerySingleOrDefaultAsync<JobRow>(Cmd(
            $"SELECT {JobRow.Columns} FROM jobs WHERE pipeline_id = @pipelineId AND name = @name",
            new { pipelineId = (long)pipelineId, name }, cancellationToken)))?.ToRecord(), cancellationToken);

    public Task<JobRecord?> GetJobByIdAsync(int jobId, CancellationToken cancellationToken = default) =>
        ReadAsync(async c => (await c.QuerySingleOrDefaultAsync<JobRow>(Cmd(
            $"SELECT {JobRow.Columns} FROM jobs WHERE id = @jobId", new { jobId = (long)jobId }, cancellationToken)))?.ToRecord(), cancellationToken);

    public Task SetJobPausedAsync(int jobId, bool paused, CancellationToken cancellationToken = default) =>
        WriteAsync(scope => scope.Connection.ExecuteAsync(Cmd(scope,
            "UPDATE jobs SET paused = @paused WHERE id = @jobId", new { jobId = (long)jobId, paused }, cancellationToken)), cancellationToken);
}
