using Dapper;
using Ferry.Storage.Nodes;

namespace Ferry.Storage.Sql;

internal sealed partial class SqlStore
{
    private sealed class NodeRow
    {
        public string Id { get; set; } = "";
        public string Name { get; set; } = "";
        public long StartedAt { get; set; }
        public long HeartbeatAt { get; set; }
        public long? StoppedAt { get; set; }
        public string? StopReason { get; set; }
        public bool EmbeddedWorker { get; set; } = true;

        public NodeRecord ToRecord() => new(Id, Name, Col.Time(StartedAt), Col.Time(HeartbeatAt), Col.Time(StoppedAt), StopReason) { EmbeddedWorker = EmbeddedWorker };
    }

    private const string NodeColumns = "id, name, started_at, heartbeat_at, stopped_at, stop_reason, embedded_worker";

    public Task RegisterNodeAsync(string id, string name, CancellationToken cancellationToken = default) =>
        WriteAsync(async scope => await scope.Connection.ExecuteAsync(Cmd(scope,
            "INSERT INTO nodes (id, name, started_at, heartbeat_at) VALUES (@id, @name, @now, @now) " +
            "ON CONFLICT (id) DO UPDATE SET heartbeat_at = @now, stopped_at = NULL, stop_reason = NULL",
            new { id, name, now = Now }, cancellationToken)), cancellationToken);

    public Task SetNodeEmbeddedWorkerAsync(string id, bool embedded, CancellationToken cancellationToken = default) =>
        WriteAsync(async scope => await scope.Connection.ExecuteAsync(Cmd(scope,
            "UPDATE nodes SET embedded_worker = @embedded WHERE id = @id", new { id, embedded }, cancellationToken)), cancellationToken);

    public Task<bool> HeartbeatNodeAsync(string id, CancellationToken cancellationToken = default) =>
        WriteAsync(async scope => await scope.Connection.ExecuteAsync(Cmd(scope,
            "UPDATE nodes SET heartbeat_at = @now WHERE id = @id AND stopped_at IS NULL", new { id, now = Now }, cancellationToken)) == 1,
            cancellationToken);

    public Task StopNodeAsync(string id, string reason, CancellationToken cancellationToken = default) =>
        WriteAsync(async scope => await scope.Connection.ExecuteAsync(Cmd(scope,
            "UPDATE nodes SET stopped_at = @now, stop_reason = @reason WHERE id = @id AND stopped_at IS NULL",
            new { id, reason, now = Now }, cancellationToken)), cancellationToken);

    public Task<IReadOnlyList<NodeRecord>> ListNodesAsync(int stoppedLimit = 20, CancellationToken cancellationToken = default) =>
        ReadAsync<IReadOnlyList<NodeRecord>>(async c =>
        {
            var live = await c.QueryAsync<NodeRow>(Cmd($"SELECT {NodeColumns} FROM nodes WHERE stopped_at IS NULL ORDER BY started_at, id", null, cancellationToken));
            var stopped = await c.QueryAsync<NodeRow>(Cmd(
                $"SELECT {NodeColumns} FROM nodes WHERE stopped_at IS NOT NULL ORDER BY stopped_at DESC, id LIMIT @stoppedLimit", new { stoppedLimit }, cancellationToken));
            return live.Concat(stopped).Select(r => r.ToRecord()).ToList();
        }, cancellationToken);

    public async Task<NodeSweep> EndLostNodesAsync(TimeSpan timeout, string except, CancellationToken cancellationToken = default)
    {
        var sweep = await WriteAsync(async scope =>
        {
            var now = Now;
            var cutoff = timeout == TimeSpan.Zero ? long.MaxValue : now - (long)timeout.TotalMilliseconds;
            var lost = (await scope.Connection.QueryAsync<NodeRow>(Cmd(scope,
                "UPDATE nodes SET stopped_at = @now, stop_reason = 'its heartbeat stopped' " +
                $"WHERE stopped_at IS NULL AND id <> @except AND heartbeat_at < @cutoff RETURNING {NodeColumns}",
                new { now, except, cutoff }, cancellationToken))).Select(r => r.ToRecord()).ToList();
            // Builds of any node that is not live: those just ended, and those a stopped node (or a server from before
            // nodes were recorded, whose claimed_by is its host name) left started. A remote worker's builds are not a
            // node's: they live on across server restarts, and the worker sweep ends them when the worker is lost.
            var orphans = (await scope.Connection.QueryAsync<(long Id, string? ClaimedBy)>(Cmd(scope,
                "SELECT b.id, b.claimed_by FROM builds b WHERE b.status = 'started' AND b.worker IS NULL AND NOT EXISTS " +
                $"(SELECT 1 FROM nodes n WHERE n.id = b.claimed_by AND n.stopped_at IS NULL) ORDER BY b.id{_dialect.ForUpdateSkipLocked}",
                null, cancellationToken))).ToList();
            foreach (var (id, claimedBy) in orphans)
            {
                var gone = lost.FirstOrDefault(n => n.Id == claimedBy);
                var reason = gone is not null
                    ? $"the server node {gone.Name} ({gone.Id}) running this build stopped answering: its last heartbeat was at {gone.HeartbeatAt:u}"
                    : $"the server node {claimedBy ?? "that claimed this build"} stopped while the build was running";
                await ErrorStartedBuildInScopeAsync(scope, id, reason, cancellationToken);
            }
            return new NodeSweep(lost, orphans.Select(o => o.Id).ToList());
        }, cancellationToken);
        foreach (var id in sweep.ErroredBuilds)
            await PublishLastSeqAsync(id, cancellationToken);
        return sweep;
    }
}
