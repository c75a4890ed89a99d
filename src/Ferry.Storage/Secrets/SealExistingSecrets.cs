using System.Text.Json;
using Dapper;
using Ferry.Storage.Environments;
using Ferry.Storage.Sql;

namespace Ferry.Storage.Secrets;

/// <summary>
/// The data step of migration 0007: before it, <c>--secret-var</c> values were stored in the clear in every config
/// version's vars and, filled in, in the pipeline's resources and build plans. It seals them as a new store would
/// have (<see cref="SealedColumns"/>), and replaces secret values in build reasons and check errors with
/// <c>((redacted))</c>. SQLite keeps deleted text in free pages, so the store is compacted afterwards
/// (<see cref="SqliteDialect.CompactAsync"/>).
/// </summary>
internal static class SealExistingSecrets
{
    public const int Migration = 7;
    private const int Page = 200;
    private const string Mask = "((redacted))";

    /// <returns>How many rows it changed.</returns>
    public static async Task<int> RunAsync(WriteScope scope, SecretBox box, CancellationToken cancellationToken)
    {
        var changed = 0;
        var secretsByPipeline = new Dictionary<long, HashSet<string>>();
        var configs = await QueryAsync<ConfigRow>(scope,
            "SELECT pipeline_id AS PipelineId, number, vars, secret_vars AS SecretVars FROM pipeline_configs WHERE secret_vars <> '[]' AND secret_values IS NULL", null, cancellationToken);
        foreach (var config in configs)
        {
            var names = JsonSerializer.Deserialize<string[]>(config.SecretVars) ?? [];
            var vars = Col.Object(config.Vars);
            var values = secretsByPipeline.TryGetValue(config.PipelineId, out var known) ? known : secretsByPipeline[config.PipelineId] = new(StringComparer.Ordinal);
            foreach (var name in names)
            {
                if (vars[name] is { } value)
                {
                    values.Add(value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString());
                }
            }
            var (plain, sealedVars) = SealedColumns.SplitVars(box, vars, names, SealedColumns.PipelineVars(config.PipelineId, config.Number));
            changed += await ExecuteAsync(scope, "UPDATE pipeline_configs SET vars = @plain, secret_values = @sealedVars WHERE pipeline_id = @PipelineId AND number = @Number",
                new { plain, sealedVars, config.PipelineId, config.Number }, cancellationToken);
        }
        foreach (var (pipelineId, values) in secretsByPipeline)
        {
            values.RemoveWhere(v => v.Trim().Length == 0);
            changed += await SealResourcesAsync(scope, box, pipelineId, values, cancellationToken);
            changed += await SealBuildsAsync(scope, box, pipelineId, values, cancellationToken);
        }
        return changed;
    }

    private static async Task<int> SealResourcesAsync(WriteScope scope, SecretBox box, long pipelineId, HashSet<string> values, CancellationToken cancellationToken)
    {
        var changed = 0;
        foreach (var r in await QueryAsync<ResourceToSeal>(scope,
            "SELECT id, name, source, config, webhook_token AS WebhookToken, last_check_error AS LastCheckError FROM resources WHERE pipeline_id = @pipelineId", new { pipelineId }, cancellationToken))
        {
            changed += await ExecuteAsync(scope,
                "UPDATE resources SET source = @source, config = @config, webhook_token = @token, last_check_error = @error WHERE id = @Id",
                new
                {
                    r.Id,
                    source = SealedColumns.SealIf(box, true, r.Source, SealedColumns.Resource(pipelineId, r.Name, "source")),
                    config = SealedColumns.SealIf(box, true, r.Config, SealedColumns.Resource(pipelineId, r.Name, "config")),
                    token = SealedColumns.SealIf(box, true, r.WebhookToken, SealedColumns.Resource(pipelineId, r.Name, "webhook_token")),
                    error = Redact(r.LastCheckError, values),
                }, cancellationToken);
        }
        return changed;
    }

    // Page by id: a pipeline may have many builds, and only a page of plans is in memory at once.
    private static async Task<int> SealBuildsAsync(WriteScope scope, SecretBox box, long pipelineId, HashSet<string> values, CancellationToken cancellationToken)
    {
        var changed = 0;
        long after = 0;
        while (true)
        {
            var builds = await QueryAsync<BuildToSeal>(scope,
                "SELECT id, plan, reason FROM builds WHERE pipeline_id = @pipelineId AND id > @after ORDER BY id LIMIT @Page",
                new { pipelineId, after, Page }, cancellationToken);
            foreach (var b in builds)
            {
                changed += await ExecuteAsync(scope, "UPDATE builds SET plan = @plan, reason = @reason WHERE id = @Id",
                    new { b.Id, plan = SealedColumns.SealIf(box, true, b.Plan, SealedColumns.BuildPlan(pipelineId)), reason = Redact(b.Reason, values) },
                    cancellationToken);
                after = b.Id;
            }
            if (builds.Count < Page)
            {
                return changed;
            }
        }
    }

    private static string? Redact(string? text, IEnumerable<string> values) =>
        text is null ? null : values.OrderByDescending(v => v.Length).Aggregate(text, (t, v) => t.Replace(v, Mask, StringComparison.Ordinal));

    // Columns are aliased to the property names: this runs before the store sets Dapper's underscore matching.
    private static async Task<List<T>> QueryAsync<T>(WriteScope scope, string sql, object? parameters, CancellationToken cancellationToken) =>
        [.. await scope.Connection.QueryAsync<T>(new CommandDefinition(sql, parameters, scope.Transaction, cancellationToken: cancellationToken))];

    private static Task<int> ExecuteAsync(WriteScope scope, string sql, object parameters, CancellationToken cancellationToken) =>
        scope.Connection.ExecuteAsync(new CommandDefinition(sql, parameters, scope.Transaction, cancellationToken: cancellationToken));

    private sealed class ConfigRow
    {
        public long PipelineId { get; set; }
        public long Number { get; set; }
        public string Vars { get; set; } = "";
        public string SecretVars { get; set; } = "[]";
    }

    private sealed class ResourceToSeal
    {
        public long Id { get; set; }
        public string Name { get; set; } = "";
        public string Source { get; set; } = "";
        public string Config { get; set; } = "";
        public string? WebhookToken { get; set; }
        public string? LastCheckError { get; set; }
    }

    private sealed class BuildToSeal
    {
        public long Id { get; set; }
        public string Plan { get; set; } = "";
        public string? Reason { get; set; }
    }
}
