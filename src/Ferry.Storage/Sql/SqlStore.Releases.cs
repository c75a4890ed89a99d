using Ferry.Core.Audit;
using System.Data.Common;
using Dapper;
using Ferry.Core.Promotion;
using Ferry.Storage.Environments;

namespace Ferry.Storage.Sql;

internal sealed partial class SqlStore
{
    private sealed class VersionSourceRow
    {
        public long Id { get; set; }
        public long ResourceId { get; set; }
        public long PipelineId { get; set; }
        public string Resource { get; set; } = "";
        public string Version { get; set; } = "{}";
    }

    public Task<SavedRelease> SaveReleaseAsync(int pipelineId, IReadOnlyList<ReleaseVersionInput> versions, long? sourceBuildId = null, CancellationToken cancellationToken = default)
    {
        if (versions.Count == 0)
        {
            throw new ArgumentException("forming a release: a release carries at least one resource version", nameof(versions));
        }
        return Changed(WriteAsync(async scope =>
        {
            var c = scope.Connection;
            _ = await c.ExecuteScalarAsync<long?>(Cmd(scope, $"SELECT id FROM pipelines WHERE id = @pipelineId{_dialect.ForUpdate}",
                new { pipelineId = (long)pipelineId }, cancellationToken))
                ?? throw new StoreException($"forming a release: no pipeline with id {pipelineId}");
            var items = new List<ReleaseItem>();
            foreach (var input in versions)
            {
                var row = await c.QuerySingleOrDefaultAsync<VersionSourceRow>(Cmd(scope,
                    "SELECT v.id, v.resource_id, r.pipeline_id, r.name AS resource, v.version FROM versions v JOIN resources r ON r.id = v.resource_id WHERE v.id = @VersionId",
                    new { input.VersionId }, cancellationToken));
                if (row is null || row.ResourceId != input.ResourceId || row.PipelineId != pipelineId)
                {
                    throw new StoreException($"forming a release in pipeline {pipelineId}: version {input.VersionId} is not a version of resource {input.ResourceId} of this pipeline");
                }
                items.Add(new ReleaseItem(row.Resource, Col.Version(row.Version, "[]").Version));
            }
            var release = Release.Create(items);
            var existing = await c.ExecuteScalarAsync<long?>(Cmd(scope,
                "SELECT number FROM releases WHERE pipeline_id = @pipelineId AND content_id = @Id", new { pipelineId = (long)pipelineId, release.Id }, cancellationToken));
            if (existing is { } number)
            {
                return new SavedRelease((await LoadReleasesAsync(c, scope.Transaction, pipelineId, (int)number, 1, cancellationToken))[0], false);
            }
            var next = 1 + await c.ExecuteScalarAsync<long>(Cmd(scope,
                "SELECT COALESCE(MAX(number), 0) FROM releases WHERE pipeline_id = @pipelineId", new { pipelineId = (long)pipelineId }, cancellationToken));
            var releaseId = await c.ExecuteScalarAsync<long>(Cmd(scope,
                "INSERT INTO releases (pipeline_id, number, content_id, content, source_build_id, disabled, created_at) " +
                "VALUES (@pipelineId, @next, @Id, @CanonicalJson, @sourceBuildId, FALSE, @now) RETURNING id",
                new { pipelineId = (long)pipelineId, next, release.Id, release.CanonicalJson, sourceBuildId, now = Now }, cancellationToken));
            foreach (var input in versions)
            {
                await c.ExecuteAsync(Cmd(scope, "INSERT INTO release_versions (release_id, resource_id, version_id) VALUES (@releaseId, @ResourceId, @VersionId)",
                    new { releaseId, ResourceId = (long)input.ResourceId, input.VersionId }, cancellationToken));
            }
            return new SavedRelease((await LoadReleasesAsync(c, scope.Transaction, pipelineId, (int)next, 1, cancellationToken))[0], true);
        }, cancellationToken), Events.PipelineChangeKind.Promotion, saved => saved.IsNew ? pipelineId : null);
    }

    public Task<ReleaseRecord?> GetReleaseAsync(int pipelineId, int number, CancellationToken cancellationToken = default) =>
        ReadAsync(async c => (await LoadReleasesAsync(c, null, pipelineId, number, 1, cancellationToken)).FirstOrDefault(), cancellationToken);

    public Task<IReadOnlyList<ReleaseRecord>> ListReleasesAsync(int pipelineId, int limit = 100, CancellationToken cancellationToken = default) =>
        ReadAsync(c => LoadReleasesAsync(c, null, pipelineId, null, limit, cancellationToken), cancellationToken);

    public Task<bool> SetReleaseDisabledAsync(int pipelineId, int number, bool disabled, string actor, CancellationToken cancellationToken = default) =>
        WriteAsync(async scope =>
        {
            var changed = await scope.Connection.ExecuteAsync(Cmd(scope,
                "UPDATE releases SET disabled = @disabled WHERE pipeline_id = @pipelineId AND number = @number",
                new { disabled, pipelineId = (long)pipelineId, number = (long)number }, cancellationToken)) > 0;
            if (changed)
            {
                await AuditAsync(scope, pipelineId, null, actor, disabled ? AuditActions.ReleaseDisabled : AuditActions.ReleaseEnabled, null, number, null, cancellationToken);
            }
            return changed;
        }, cancellationToken);

    /// <summary>One release (<paramref name="number"/>) or the newest <paramref name="limit"/>, with their versions and where they stand.</summary>
    private static async Task<IReadOnlyList<ReleaseRecord>> LoadReleasesAsync(DbConnection c, DbTransaction? transaction, int pipelineId, int? number, int limit,
        CancellationToken cancellationToken)
    {
        var rows = (await c.QueryAsync<ReleaseRow>(Cmd(
            $"SELECT {ReleaseRow.Columns} FROM releases r WHERE r.pipeline_id = @pipelineId AND (@number IS NULL OR r.number = @number) ORDER BY r.number DESC LIMIT @limit",
            new { pipelineId = (long)pipelineId, number = (long?)number, limit = (long)limit }, cancellationToken, transaction))).ToList();
        if (rows.Count == 0)
        {
            return [];
        }
        var range = new { pipelineId = (long)pipelineId, low = rows[^1].Number, high = rows[0].Number };
        const string InRange = "r.pipeline_id = @pipelineId AND r.number BETWEEN @low AND @high";
        var versions = (await c.QueryAsync<ReleaseVersionRow>(Cmd(
            "SELECT rv.release_id, rs.name AS resource, rv.resource_id, rv.version_id, v.version FROM release_versions rv " +
            "JOIN releases r ON r.id = rv.release_id JOIN resources rs ON rs.id = rv.resource_id JOIN versions v ON v.id = rv.version_id " +
            $"WHERE {InRange} ORDER BY rs.name", range, cancellationToken, transaction))).ToLookup(v => v.ReleaseId);
        var verified = (await c.QueryAsync<ReleaseEnvironmentRow>(Cmd(
            "SELECT x.release_id, e.name FROM release_verifications x JOIN releases r ON r.id = x.release_id JOIN environments e ON e.id = x.environment_id " +
            $"WHERE {InRange} ORDER BY e.id", range, cancellationToken, transaction))).ToLookup(v => v.ReleaseId, v => v.Name);
        // Failed there, and not promoted there with success since: automatic promotion leaves it alone.
        var failed = (await c.QueryAsync<ReleaseEnvironmentRow>(Cmd(
            "SELECT DISTINCT p.release_id, e.name FROM promotions p JOIN releases r ON r.id = p.release_id JOIN environments e ON e.id = p.environment_id " +
            $"WHERE {InRange} AND p.status IN ('failed', 'errored', 'aborted') AND NOT EXISTS (SELECT 1 FROM promotions q " +
            "WHERE q.release_id = p.release_id AND q.environment_id = p.environment_id AND q.id > p.id AND q.status = 'succeeded')",
            range, cancellationToken, transaction)))
            .ToLookup(v => v.ReleaseId, v => v.Name);
        return [.. rows.Select(r => new ReleaseRecord(r.Id, (int)r.PipelineId, (int)r.Number, Release.FromCanonicalJson(r.Content),
            [.. versions[r.Id].Select(v => new ReleaseVersionRecord(v.Resource, (int)v.ResourceId, v.VersionId, Col.Version(v.Version, "[]").Version))],
            r.SourceBuildId, r.Disabled, Col.Time(r.CreatedAt), [.. verified[r.Id]], [.. failed[r.Id].Order(StringComparer.Ordinal)]))];
    }
}
