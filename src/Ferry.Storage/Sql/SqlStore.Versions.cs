using Dapper;
using Ferry.Core.Versions;
using Ferry.Storage.Versions;

namespace Ferry.Storage.Sql;

internal sealed partial class SqlStore
{
    private const string CurrentScope = "scope = (SELECT scope FROM resources WHERE id = @resourceId)";

    /// <summary>Scopes of checked versions count up from 1; this one is never any resource's current scope.</summary>
    private const long DetachedScope = -1;

    public Task<VersionRecord> SaveDetachedVersionAsync(int resourceId, IReadOnlyDictionary<string, string> version, CancellationToken cancellationToken = default) =>
        WriteAsync(async scope =>
        {
            var c = scope.Connection;
            var json = Col.VersionJson(version);
            var sha = Col.Sha(json);
            var existing = await c.QuerySingleOrDefaultAsync<VersionRow>(Cmd(scope,
                $"SELECT {VersionRow.Columns} FROM versions WHERE resource_id = @resourceId AND scope = @DetachedScope AND version_sha = @sha",
                new { resourceId = (long)resourceId, DetachedScope, sha }, cancellationToken));
            return (existing ?? await c.QuerySingleAsync<VersionRow>(Cmd(scope,
                "INSERT INTO versions (resource_id, scope, version, version_sha, metadata, check_order, disabled, created_at) " +
                $"VALUES (@resourceId, @DetachedScope, @json, @sha, '[]', 0, FALSE, @now) RETURNING {VersionRow.Columns}",
                new { resourceId = (long)resourceId, DetachedScope, json, sha, now = Now }, cancellationToken))).ToRecord();
        }, cancellationToken);

    public Task<IReadOnlyList<VersionRecord>> SaveVersionsAsync(int resourceId, IReadOnlyList<ResourceVersion> versions, CancellationToken cancellationToken = default) =>
        WriteAsync(scope => SaveVersionsAsync(scope, resourceId, versions, cancellationToken), cancellationToken);

    private async Task<IReadOnlyList<VersionRecord>> SaveVersionsAsync(WriteScope scope, long resourceId, IReadOnlyList<ResourceVersion> versions, CancellationToken cancellationToken)
    {
        var c = scope.Connection;
        // Lock the resource row (PostgreSQL) so two nodes checking the same resource do not hand out the same check order.
        var resourceScope = await c.ExecuteScalarAsync<long?>(Cmd(scope,
            $"SELECT scope FROM resources WHERE id = @resourceId{_dialect.ForUpdate}", new { resourceId }, cancellationToken))
            ?? throw new StoreException($"saving versions: resource {resourceId} does not exist");
        var max = await c.ExecuteScalarAsync<long>(Cmd(scope,
            "SELECT COALESCE(MAX(check_order), 0) FROM versions WHERE resource_id = @resourceId AND scope = @resourceScope",
            new { resourceId, resourceScope }, cancellationToken));
        var now = Now;
        var saved = new List<VersionRecord>(versions.Count);
        foreach (var version in versions)
        {
            var json = Col.VersionJson(version.Version);
            var sha = Col.Sha(json);
            var existing = await c.QuerySingleOrDefaultAsync<VersionRow>(Cmd(scope,
                $"SELECT {VersionRow.Columns} FROM versions WHERE resource_id = @resourceId AND scope = @resourceScope AND version_sha = @sha",
                new { resourceId, resourceScope, sha }, cancellationToken));
            var metadata = Col.MetadataJson(version.Metadata);
            VersionRow row;
            if (existing is null)
            {
                row = await c.QuerySingleAsync<VersionRow>(Cmd(scope,
                    "INSERT INTO versions (resource_id, scope, version, version_sha, metadata, check_order, disabled, created_at) " +
                    $"VALUES (@resourceId, @resourceScope, @json, @sha, @metadata, @order, FALSE, @now) RETURNING {VersionRow.Columns}",
                    new { resourceId, resourceScope, json, sha, metadata, order = ++max, now }, cancellationToken));
            }
            else
            {
                // Concourse: a version reported again moves after the newest, unless it is the newest already.
                var order = existing.CheckOrder == max ? max : ++max;
                var keepMetadata = version.Metadata.Count == 0 ? existing.Metadata : metadata;
                await c.ExecuteAsync(Cmd(scope, "UPDATE versions SET check_order = @order, metadata = @keepMetadata WHERE id = @Id",
                    new { order, keepMetadata, existing.Id }, cancellationToken));
                if (order != existing.CheckOrder)
                {
                    await BumpVersionEpochAsync(scope, resourceId, cancellationToken);
                }
                existing.CheckOrder = order;
                existing.Metadata = keepMetadata;
                row = existing;
            }
            saved.Add(row.ToRecord());
        }
        return saved;
    }

    public Task<VersionPage> ListVersionsAsync(int resourceId, VersionPageRequest page, CancellationToken cancellationToken = default) =>
        ReadAsync(async c =>
        {
            var limit = Math.Clamp(page.Limit, 1, 10_000);
            var rows = (await c.QueryAsync<VersionRow>(Cmd(
                $"SELECT {VersionRow.Columns} FROM versions WHERE resource_id = @resourceId AND {CurrentScope} " +
                "AND (@before IS NULL OR check_order < @before) ORDER BY check_order DESC LIMIT @take",
                new { resourceId = (long)resourceId, before = page.BeforeCheckOrder, take = limit + 1 }, cancellationToken))).ToList();
            var more = rows.Count > limit;
            var records = rows.Take(limit).Select(r => r.ToRecord()).ToList();
            return new VersionPage(records, more ? records[^1].CheckOrder : null);
        }, cancellationToken);

    public Task<VersionRecord?> GetVersionAsync(long versionId, CancellationToken cancellationToken = default) =>
        ReadAsync(async c => (await c.QuerySingleOrDefaultAsync<VersionRow>(Cmd(
            $"SELECT {VersionRow.Columns} FROM versions WHERE id = @versionId", new { versionId }, cancellationToken)))?.ToRecord(), cancellationToken);

    public Task<VersionRecord?> GetLatestVersionAsync(int resourceId, CancellationToken cancellationToken = default) =>
        ReadAsync(async c => (await c.QueryFirstOrDefaultAsync<VersionRow>(Cmd(
            $"SELECT {VersionRow.Columns} FROM versions WHERE resource_id = @resourceId AND {CurrentScope} AND NOT disabled ORDER BY check_order DESC LIMIT 1",
            new { resourceId = (long)resourceId }, cancellationToken)))?.ToRecord(), cancellationToken);

    public Task<VersionRecord?> FindVersionAsync(int resourceId, IReadOnlyDictionary<string, string> fields, CancellationToken cancellationToken = default) =>
        ReadAsync(async c =>
        {
            var sha = Col.Sha(Col.VersionJson(fields));
            var exact = await c.QuerySingleOrDefaultAsync<VersionRow>(Cmd(
                $"SELECT {VersionRow.Columns} FROM versions WHERE resource_id = @resourceId AND {CurrentScope} AND version_sha = @sha",
                new { resourceId = (long)resourceId, sha }, cancellationToken));
            if (exact is not null)
            {
                return exact.ToRecord();
            }
            // Partial match: rare (a pin naming one field), so a scan newest first is fine.
            var all = await c.QueryAsync<VersionRow>(Cmd(
                $"SELECT {VersionRow.Columns} FROM versions WHERE resource_id = @resourceId AND {CurrentScope} ORDER BY check_order DESC",
                new { resourceId = (long)resourceId }, cancellationToken));
            return all.Select(r => r.ToRecord()).FirstOrDefault(v =>
                fields.All(f => v.Version.Version.TryGetValue(f.Key, out var value) && value == f.Value));
        }, cancellationToken);

    public Task<bool> SetVersionDisabledAsync(long versionId, bool disabled, CancellationToken cancellationToken = default) =>
        WriteAsync(async scope =>
        {
            var resourceId = await scope.Connection.ExecuteScalarAsync<long?>(Cmd(scope,
                "UPDATE versions SET disabled = @disabled WHERE id = @versionId RETURNING resource_id", new { versionId, disabled }, cancellationToken));
            if (resourceId is null)
            {
                return false;
            }
            await BumpVersionEpochAsync(scope, resourceId.Value, cancellationToken);
            return true;
        }, cancellationToken);

    /// <summary>
    /// A version changed in place (moved in check order, disabled or enabled): no new id shows it, so the resource's
    /// version epoch does, and the scheduler's kept snapshot reads the resource's versions again.
    /// </summary>
    private static Task BumpVersionEpochAsync(WriteScope scope, long resourceId, CancellationToken cancellationToken) =>
        scope.Connection.ExecuteAsync(Cmd(scope, "UPDATE resources SET version_epoch = version_epoch + 1 WHERE id = @resourceId",
            new { resourceId }, cancellationToken));
}
