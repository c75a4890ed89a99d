using Dapper;
using Ferry.Storage.Secrets;

namespace Ferry.Storage.Sql;

internal sealed partial class SqlStore
{
    /// <summary>
    /// Upserts the config's resources by name and retires the rest; a changed type or source starts a new version scope.
    /// With <paramref name="seal"/> (a config with secret vars) the source, config and webhook token are stored sealed.
    /// </summary>
    private async Task SyncResourcesAsync(WriteScope scope, long pipelineId, IReadOnlyList<ResourceDefinition> resources, bool seal, CancellationToken cancellationToken)
    {
        var c = scope.Connection;
        await c.ExecuteAsync(Cmd(scope, "UPDATE resources SET active = FALSE WHERE pipeline_id = @pipelineId", new { pipelineId }, cancellationToken));
        foreach (var resource in resources)
        {
            var hash = Col.Sha(resource.Type + "\n" + Col.Json(resource.Source));
            await c.ExecuteAsync(Cmd(scope,
                "INSERT INTO resources (pipeline_id, name, type, source, config, config_hash, scope, active, webhook_token) " +
                "VALUES (@pipelineId, @Name, @Type, @Source, @Config, @hash, 1, TRUE, @WebhookToken) " +
                "ON CONFLICT (pipeline_id, name) DO UPDATE SET type = excluded.type, source = excluded.source, config = excluded.config, " +
                "active = TRUE, webhook_token = excluded.webhook_token, config_hash = excluded.config_hash, " +
                "scope = CASE WHEN resources.config_hash = excluded.config_hash THEN resources.scope ELSE resources.scope + 1 END, " +
                // A new scope has none of the old versions, so an old pin and back-off no longer apply.
                "pinned_version_id = CASE WHEN resources.config_hash = excluded.config_hash THEN resources.pinned_version_id END, " +
                "pin_comment = CASE WHEN resources.config_hash = excluded.config_hash THEN resources.pin_comment END, " +
                "next_check_at = CASE WHEN resources.config_hash = excluded.config_hash THEN resources.next_check_at END",
                new
                {
                    pipelineId,
                    resource.Name,
                    resource.Type,
                    Source = SealedColumns.SealIf(_secrets, seal, Col.Json(resource.Source), SealedColumns.Resource(pipelineId, resource.Name, "source")),
                    Config = SealedColumns.SealIf(_secrets, seal, Col.Json(resource.Config), SealedColumns.Resource(pipelineId, resource.Name, "config")),
                    hash,
                    WebhookToken = SealedColumns.SealIf(_secrets, seal, resource.WebhookToken, SealedColumns.Resource(pipelineId, resource.Name, "webhook_token")),
                }, cancellationToken));
        }
    }

    private static async Task SyncJobsAsync(WriteScope scope, long pipelineId, IReadOnlyList<JobDefinition> jobs, CancellationToken cancellationToken)
    {
        var c = scope.Connection;
        await c.ExecuteAsync(Cmd(scope, "UPDATE jobs SET active = FALSE WHERE pipeline_id = @pipelineId", new { pipelineId }, cancellationToken));
        foreach (var job in jobs)
        {
            await c.ExecuteAsync(Cmd(scope,
                "INSERT INTO jobs (pipeline_id, name, config, active) VALUES (@pipelineId, @Name, @Config, TRUE) " +
                "ON CONFLICT (pipeline_id, name) DO UPDATE SET config = excluded.config, active = TRUE",
                new { pipelineId, job.Name, Config = Col.Json(job.Config) }, cancellationToken));
        }
    }
}
