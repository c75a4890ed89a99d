using System.Text;
using Dapper;
using Ferry.Storage.Builds;

namespace Ferry.Storage.Sql;

internal sealed partial class SqlStore
{
    private const int ImportRowsPerStatement = 400;

    public Task<HistoryImported> ImportHistoryAsync(HistoryImport import, CancellationToken cancellationToken = default) =>
        WriteAsync(async scope =>
        {
            var c = scope.Connection;
            if (_dialect.Kind == StoreDialect.Postgres)
            {
                // Ids are handed out here, above the highest: no other writer may take one meanwhile.
                await c.ExecuteAsync(Cmd(scope, "LOCK TABLE versions, builds IN EXCLUSIVE MODE", null, cancellationToken));
            }
            var scopes = (await c.QueryAsync<(long Id, long Scope)>(Cmd(scope, "SELECT id, scope FROM resources WHERE pipeline_id = @pipelineId",
                new { pipelineId = (long)import.PipelineId }, cancellationToken))).ToDictionary(r => (int)r.Id, r => r.Scope);
            var nextVersion = await c.ExecuteScalarAsync<long>(Cmd(scope, "SELECT COALESCE(MAX(id), 0) FROM versions", null, cancellationToken)) + 1;
            var nextBuild = await c.ExecuteScalarAsync<long>(Cmd(scope, "SELECT COALESCE(MAX(id), 0) FROM builds", null, cancellationToken)) + 1;
            var now = Now;

            var versionIds = new Dictionary<(int, long), long>(import.Versions.Count);
            foreach (var v in import.Versions)
            {
                if (!scopes.ContainsKey(v.ResourceId))
                {
                    throw new StoreException($"importing history: resource {v.ResourceId} is not in pipeline {import.PipelineId}");
                }
                versionIds[(v.ResourceId, v.Key)] = nextVersion++;
            }
            await InsertRowsAsync(scope, "versions (id, resource_id, scope, version, version_sha, metadata, check_order, disabled, created_at)", import.Versions, v =>
            {
                var json = Col.VersionJson(new Dictionary<string, string> { ["ref"] = v.Name });
                // An old scope (0) for versions outside the resource's current one: builds may name them, the resolver does not see them.
                return [versionIds[(v.ResourceId, v.Key)], v.ResourceId, v.Current ? scopes[v.ResourceId] : 0L, json, Col.Sha(json), "[]", v.CheckOrder, v.Disabled, now];
            }, cancellationToken);

            var buildIds = new Dictionary<long, long>(import.Builds.Count);
            var counters = new Dictionary<int, int>();
            var ordered = import.Builds.OrderBy(b => b.Key).ToList();
            foreach (var b in ordered)
            {
                buildIds[b.Key] = nextBuild++;
            }
            await InsertRowsAsync(scope, "builds (id, pipeline_id, job_id, name, status, plan, created_by, created_at, started_at, ended_at)", ordered, b =>
            {
                var number = counters[b.JobId] = counters.GetValueOrDefault(b.JobId) + 1;
                return [buildIds[b.Key], import.PipelineId, b.JobId, number.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    b.Succeeded ? "succeeded" : "failed", """{"do":[]}""", "import", now, now, now];
            }, cancellationToken);
            // Reruns after all builds are in, whatever order the source lists them in.
            foreach (var b in ordered.Where(b => b.RerunOfKey is not null))
            {
                await c.ExecuteAsync(Cmd(scope, "UPDATE builds SET rerun_of = @rerunOf WHERE id = @id",
                    new { id = buildIds[b.Key], rerunOf = Lookup(buildIds, b.RerunOfKey!.Value, "build") }, cancellationToken));
            }
            foreach (var (jobId, count) in counters)
            {
                await c.ExecuteAsync(Cmd(scope, "UPDATE jobs SET build_counter = build_counter + @count WHERE id = @jobId",
                    new { jobId = (long)jobId, count }, cancellationToken));
            }
            await InsertRowsAsync(scope, "build_inputs (build_id, name, resource_id, version_id, first_occurrence)", Distinct(import.Inputs, i => (i.BuildKey, i.Name)), i =>
                [Lookup(buildIds, i.BuildKey, "build"), i.Name, i.ResourceId, Lookup(versionIds, (i.ResourceId, i.VersionKey), "version"), false], cancellationToken);
            await InsertRowsAsync(scope, "build_outputs (build_id, resource_id, version_id)", Distinct(import.Outputs, o => (o.BuildKey, o.ResourceId, o.VersionKey)), o =>
                [Lookup(buildIds, o.BuildKey, "build"), o.ResourceId, Lookup(versionIds, (o.ResourceId, o.VersionKey), "version")], cancellationToken);
            await InsertRowsAsync(scope, "build_pipes (from_build_id, to_build_id)", import.Pipes.Distinct().ToList(), p =>
                [Lookup(buildIds, p.FromKey, "build"), Lookup(buildIds, p.ToKey, "build")], cancellationToken);
            if (_dialect.Kind == StoreDialect.Postgres)
            {
                // The ids were given by hand: the identity sequences continue above them.
                await c.ExecuteAsync(Cmd(scope, "SELECT setval(pg_get_serial_sequence('versions', 'id'), (SELECT MAX(id) FROM versions))", null, cancellationToken));
                await c.ExecuteAsync(Cmd(scope, "SELECT setval(pg_get_serial_sequence('builds', 'id'), (SELECT MAX(id) FROM builds))", null, cancellationToken));
            }
            return new HistoryImported(import.Versions.Count, ordered.Count, import.Inputs.Count, import.Outputs.Count, import.Pipes.Count);
        }, cancellationToken);

    private static List<T> Distinct<T, TKey>(IReadOnlyList<T> rows, Func<T, TKey> key) => rows.DistinctBy(key).ToList();

    private static long Lookup<TKey>(Dictionary<TKey, long> ids, TKey key, string what) where TKey : notnull =>
        ids.TryGetValue(key, out var id) ? id : throw new StoreException($"importing history: a row names {what} {key}, which the import does not have");

    /// <summary>Multi-row INSERTs of <see cref="ImportRowsPerStatement"/> rows: one round trip per batch on both stores.</summary>
    private static async Task InsertRowsAsync<T>(WriteScope scope, string into, IReadOnlyList<T> rows, Func<T, object[]> values, CancellationToken cancellationToken)
    {
        foreach (var batch in rows.Chunk(ImportRowsPerStatement))
        {
            var sql = new StringBuilder($"INSERT INTO {into} VALUES ");
            var parameters = new DynamicParameters();
            for (var r = 0; r < batch.Length; r++)
            {
                var row = values(batch[r]);
                sql.Append(r == 0 ? "(" : ", (");
                for (var col = 0; col < row.Length; col++)
                {
                    var name = $"p{r}_{col}";
                    sql.Append(col == 0 ? "@" : ", @").Append(name);
                    parameters.Add(name, row[col]);
                }
                sql.Append(')');
            }
            await scope.Connection.ExecuteAsync(Cmd(scope, sql.ToString(), parameters, cancellationToken));
        }
    }
}
