using System.Data.Common;
using Dapper;
using Ferry.Storage.Instances;

namespace Ferry.Storage.Sql;

internal sealed partial class SqlStore
{
    private const string SelectSnapshot = "SELECT " + InstanceSnapshotRow.Columns + " FROM instance_snapshots";

    private const string SelectDrift =
        "SELECT d.environment_id, e.name AS environment, d.deployed_id, d.live_id, d.since FROM instance_drift d JOIN environments e ON e.id = d.environment_id";

    public Task<InstanceSnapshotRecord> AddInstanceSnapshotAsync(NewInstanceSnapshot snapshot, CancellationToken cancellationToken = default) =>
        WriteAsync(async scope =>
        {
            var saved = await InsertSnapshotAsync(scope, snapshot, cancellationToken);
            if (snapshot.Kind == InstanceSnapshotKind.Deployed)
                await scope.Connection.ExecuteAsync(Cmd(scope, "DELETE FROM instance_drift WHERE environment_id = @EnvironmentId",
                    new { EnvironmentId = (long)snapshot.EnvironmentId }, cancellationToken));
            return saved;
        }, cancellationToken);

    public Task<IReadOnlyList<InstanceSnapshotRecord>> ListInstanceSnapshotsAsync(int environmentId, int limit = 100, CancellationToken cancellationToken = default) =>
        ReadAsync(async c => (IReadOnlyList<InstanceSnapshotRecord>)[.. (await c.QueryAsync<InstanceSnapshotRow>(Cmd(
            SelectSnapshot + " WHERE environment_id = @environmentId ORDER BY id DESC LIMIT @limit",
            new { environmentId = (long)environmentId, limit = (long)limit }, cancellationToken))).Select(r => r.ToRecord())], cancellationToken);

    public Task<InstanceSnapshotRecord?> GetInstanceSnapshotAsync(long id, CancellationToken cancellationToken = default) =>
        ReadAsync(c => SnapshotAsync(c, id, null, cancellationToken), cancellationToken);

    public Task<InstanceSnapshotRecord?> GetDeployedSnapshotAsync(int environmentId, CancellationToken cancellationToken = default) =>
        ReadAsync(async c => (await c.QueryFirstOrDefaultAsync<InstanceSnapshotRow>(Cmd(
            SelectSnapshot + " WHERE environment_id = @environmentId AND kind = 'deployed' ORDER BY id DESC LIMIT 1",
            new { environmentId = (long)environmentId }, cancellationToken)))?.ToRecord(), cancellationToken);

    public Task<InstanceDriftRecord> RecordDriftAsync(int environmentId, long deployedId, NewInstanceSnapshot live, CancellationToken cancellationToken = default) =>
        WriteAsync(async scope =>
        {
            var c = scope.Connection;
            var existing = await c.QueryFirstOrDefaultAsync<InstanceDriftRow>(Cmd(scope, SelectDrift + " WHERE d.environment_id = @environmentId",
                new { environmentId = (long)environmentId }, cancellationToken));
            var current = existing is null ? null : await SnapshotAsync(c, existing.LiveId, scope.Transaction, cancellationToken);
            if (existing is not null && existing.DeployedId == deployedId && current?.Hash == live.Hash)
                return await DriftOfAsync(c, existing, scope.Transaction, cancellationToken);
            var seen = await InsertSnapshotAsync(scope, live with { EnvironmentId = environmentId, Kind = InstanceSnapshotKind.Drift }, cancellationToken);
            // A drift that moves on (edited again) keeps the time it began, unless Ferry deployed since.
            var since = existing is not null && existing.DeployedId == deployedId ? existing.Since : Col.Ms(live.MadeAt)!.Value;
            await c.ExecuteAsync(Cmd(scope, "DELETE FROM instance_drift WHERE environment_id = @environmentId", new { environmentId = (long)environmentId }, cancellationToken));
            await c.ExecuteAsync(Cmd(scope,
                "INSERT INTO instance_drift (environment_id, deployed_id, live_id, since) VALUES (@environmentId, @deployedId, @liveId, @since)",
                new { environmentId = (long)environmentId, deployedId, liveId = seen.Id, since }, cancellationToken));
            var row = await c.QuerySingleAsync<InstanceDriftRow>(Cmd(scope, SelectDrift + " WHERE d.environment_id = @environmentId",
                new { environmentId = (long)environmentId }, cancellationToken));
            return await DriftOfAsync(c, row, scope.Transaction, cancellationToken);
        }, cancellationToken);

    public async Task<bool> ClearDriftAsync(int environmentId, CancellationToken cancellationToken = default)
    {
        // No drift to clear is the usual answer (every push and drift check of an instance that matches): a read, no write.
        var recorded = await ReadAsync(c => c.ExecuteScalarAsync<long?>(Cmd("SELECT 1 FROM instance_drift WHERE environment_id = @environmentId LIMIT 1",
            new { environmentId = (long)environmentId }, cancellationToken)), cancellationToken);
        return recorded is not null && await WriteAsync(async scope => await scope.Connection.ExecuteAsync(Cmd(scope,
            "DELETE FROM instance_drift WHERE environment_id = @environmentId", new { environmentId = (long)environmentId }, cancellationToken)) > 0, cancellationToken);
    }

    public Task<InstanceDriftRecord?> GetDriftAsync(int environmentId, CancellationToken cancellationToken = default) =>
        ReadAsync(async c => await c.QueryFirstOrDefaultAsync<InstanceDriftRow>(Cmd(SelectDrift + " WHERE d.environment_id = @environmentId",
            new { environmentId = (long)environmentId }, cancellationToken)) is { } row
            ? await DriftOfAsync(c, row, null, cancellationToken)
            : null, cancellationToken);

    public Task<IReadOnlyList<InstanceDriftRecord>> ListDriftAsync(int pipelineId, CancellationToken cancellationToken = default) =>
        ReadAsync(async c =>
        {
            var rows = await c.QueryAsync<InstanceDriftRow>(Cmd(SelectDrift + " WHERE e.pipeline_id = @pipelineId ORDER BY d.environment_id",
                new { pipelineId = (long)pipelineId }, cancellationToken));
            var drifts = new List<InstanceDriftRecord>();
            foreach (var row in rows)
                drifts.Add(await DriftOfAsync(c, row, null, cancellationToken));
            return (IReadOnlyList<InstanceDriftRecord>)drifts;
        }, cancellationToken);

    private static async Task<InstanceSnapshotRecord> InsertSnapshotAsync(WriteScope scope, NewInstanceSnapshot s, CancellationToken cancellationToken)
    {
        var id = await scope.Connection.ExecuteScalarAsync<long>(Cmd(scope,
            "INSERT INTO instance_snapshots (environment_id, kind, hash, shape, rev, nodes, promotion_id, release_number, made_by, made_at, forced) " +
            "VALUES (@EnvironmentId, @Kind, @Hash, @Shape, @Rev, @Nodes, @PromotionId, @ReleaseNumber, @MadeBy, @MadeAt, @Forced) RETURNING id",
            new
            {
                EnvironmentId = (long)s.EnvironmentId, Kind = s.Kind.ToText(), s.Hash, s.Shape, s.Rev, Nodes = (long)s.Nodes, s.PromotionId,
                ReleaseNumber = (long?)s.ReleaseNumber, s.MadeBy, MadeAt = Col.Ms(s.MadeAt)!.Value, s.Forced,
            }, cancellationToken));
        return (await SnapshotAsync(scope.Connection, id, scope.Transaction, cancellationToken))!;
    }

    private static async Task<InstanceSnapshotRecord?> SnapshotAsync(DbConnection c, long id, DbTransaction? transaction, CancellationToken cancellationToken) =>
        (await c.QueryFirstOrDefaultAsync<InstanceSnapshotRow>(Cmd(SelectSnapshot + " WHERE id = @id", new { id }, cancellationToken, transaction)))?.ToRecord();

    private static async Task<InstanceDriftRecord> DriftOfAsync(DbConnection c, InstanceDriftRow row, DbTransaction? transaction, CancellationToken cancellationToken) =>
        new((int)row.EnvironmentId, row.Environment,
            (await SnapshotAsync(c, row.DeployedId, transaction, cancellationToken))!,
            (await SnapshotAsync(c, row.LiveId, transaction, cancellationToken))!,
            Col.Time(row.Since));
}
