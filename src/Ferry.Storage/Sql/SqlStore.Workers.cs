using System.Globalization;
using Dapper;
using Ferry.Core.Builds;
using Ferry.Storage.Builds;
using Ferry.Storage.Workers;

namespace Ferry.Storage.Sql;

internal sealed partial class SqlStore
{
    private sealed class WorkerRow
    {
        public string Name { get; set; } = "";
        public string Tags { get; set; } = "";
        public string Runtime { get; set; } = "";
        public long Capacity { get; set; }
        public string Version { get; set; } = "";
        public string State { get; set; } = "";
        public long RegisteredAt { get; set; }
        public long HeartbeatAt { get; set; }
        public long? LostAt { get; set; }

        public WorkerRecord ToRecord(IReadOnlyList<long> running) => new(
            Name, TagList(Tags), Runtime, (int)Capacity, Version, State == "lost" ? WorkerState.Lost : WorkerState.Running,
            Col.Time(RegisteredAt), Col.Time(HeartbeatAt), Col.Time(LostAt), running);
    }

    private const string WorkerColumns = "name, tags, runtime, capacity, version, state, registered_at, heartbeat_at, lost_at";

    // Tags are kept sorted, one string joined by newlines (a tag is one YAML scalar without line breaks).
    private static string TagText(IEnumerable<string> tags) => string.Join('\n', tags.Where(t => t.Length > 0).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));

    private static IReadOnlyList<string> TagList(string text) => text.Length == 0 ? [] : text.Split('\n');

    public async Task<WorkerRecord> RegisterWorkerAsync(string name, WorkerInfo info, IReadOnlyCollection<long> running, CancellationToken cancellationToken = default)
    {
        var (worker, errored) = await WriteAsync(async scope =>
        {
            var now = Now;
            await scope.Connection.ExecuteAsync(Cmd(scope,
                $"INSERT INTO workers ({WorkerColumns}) VALUES (@name, @tags, @runtime, @capacity, @version, 'running', @now, @now, NULL) " +
                "ON CONFLICT (name) DO UPDATE SET tags = @tags, runtime = @runtime, capacity = @capacity, version = @version, state = 'running', " +
                "registered_at = @now, heartbeat_at = @now, lost_at = NULL",
                new { name, tags = TagText(info.Tags), info.Runtime, capacity = (long)info.Capacity, info.Version, now }, cancellationToken));
            var started = await WorkerBuildsInScopeAsync(scope, name, cancellationToken);
            var gone = started.Where(id => !running.Contains(id)).ToList();
            foreach (var id in gone)
            {
                await ErrorStartedBuildInScopeAsync(scope, id,
                    $"worker {name} registered again without this build (the worker restarted while the build was running)", cancellationToken);
            }
            var row = await scope.Connection.QuerySingleAsync<WorkerRow>(Cmd(scope, $"SELECT {WorkerColumns} FROM workers WHERE name = @name", new { name }, cancellationToken));
            return (row.ToRecord([.. started.Except(gone)]), gone);
        }, cancellationToken);
        foreach (var id in errored)
            await PublishLastSeqAsync(id, cancellationToken);
        return worker;
    }

    private async Task<List<long>> WorkerBuildsInScopeAsync(WriteScope scope, string name, CancellationToken cancellationToken) =>
        [.. await scope.Connection.QueryAsync<long>(Cmd(scope,
            $"SELECT id FROM builds WHERE worker = @name AND status = 'started' ORDER BY id{_dialect.ForUpdate}", new { name }, cancellationToken))];

    public Task<WorkerBeat?> HeartbeatWorkerAsync(string name, IReadOnlyCollection<long> running, CancellationToken cancellationToken = default) =>
        WriteAsync<WorkerBeat?>(async scope =>
        {
            var beat = await scope.Connection.ExecuteAsync(Cmd(scope,
                "UPDATE workers SET heartbeat_at = @now WHERE name = @name AND state = 'running'", new { name, now = Now }, cancellationToken));
            if (beat == 0)
                return null;
            var mine = (await scope.Connection.QueryAsync<(long Id, bool AbortRequested)>(Cmd(scope,
                "SELECT id, abort_requested FROM builds WHERE worker = @name AND status = 'started'", new { name }, cancellationToken)))
                .ToDictionary(b => b.Id, b => b.AbortRequested);
            return new WorkerBeat(
                [.. running.Where(id => mine.GetValueOrDefault(id))],
                [.. running.Where(id => !mine.ContainsKey(id))]);
        }, cancellationToken);

    public Task<IReadOnlyList<WorkerRecord>> ListWorkersAsync(CancellationToken cancellationToken = default) =>
        ReadAsync<IReadOnlyList<WorkerRecord>>(async c =>
        {
            var rows = await c.QueryAsync<WorkerRow>(Cmd($"SELECT {WorkerColumns} FROM workers ORDER BY name", null, cancellationToken));
            var running = (await c.QueryAsync<(string Worker, long Id)>(Cmd(
                "SELECT worker, id FROM builds WHERE worker IS NOT NULL AND status = 'started' ORDER BY id", null, cancellationToken)))
                .ToLookup(b => b.Worker, b => b.Id);
            return [.. rows.Select(r => r.ToRecord([.. running[r.Name]]))];
        }, cancellationToken);

    public Task<IReadOnlyList<StartedBuild>> ListStartedBuildsAsync(CancellationToken cancellationToken = default) =>
        ReadAsync<IReadOnlyList<StartedBuild>>(async c => [.. (await c.QueryAsync<(long Id, string? ClaimedBy, string? Worker)>(Cmd(
            "SELECT id, claimed_by, worker FROM builds WHERE status = 'started' ORDER BY id", null, cancellationToken)))
            .Select(b => new StartedBuild(b.Id, b.ClaimedBy ?? "", b.Worker))], cancellationToken);

    public Task<WorkerRecord?> GetWorkerAsync(string name, CancellationToken cancellationToken = default) =>
        ReadAsync(async c =>
        {
            var row = await c.QuerySingleOrDefaultAsync<WorkerRow>(Cmd($"SELECT {WorkerColumns} FROM workers WHERE name = @name", new { name }, cancellationToken));
            if (row is null)
                return null;
            var running = await c.QueryAsync<long>(Cmd(
                "SELECT id FROM builds WHERE worker = @name AND status = 'started' ORDER BY id", new { name }, cancellationToken));
            return row.ToRecord([.. running]);
        }, cancellationToken);

    public async Task<WorkerSweep> EndLostWorkersAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var sweep = await WriteAsync(async scope =>
        {
            var now = Now;
            var cutoff = now - (long)timeout.TotalMilliseconds;
            var lost = (await scope.Connection.QueryAsync<WorkerRow>(Cmd(scope,
                $"UPDATE workers SET state = 'lost', lost_at = @now WHERE state = 'running' AND heartbeat_at < @cutoff RETURNING {WorkerColumns}",
                new { now, cutoff }, cancellationToken))).ToList();
            // Builds of any worker not running: those just lost, and those left started by a worker lost before.
            var orphans = (await scope.Connection.QueryAsync<(long Id, string Worker)>(Cmd(scope,
                "SELECT b.id, b.worker FROM builds b WHERE b.status = 'started' AND b.worker IS NOT NULL AND NOT EXISTS " +
                $"(SELECT 1 FROM workers w WHERE w.name = b.worker AND w.state = 'running') ORDER BY b.id{_dialect.ForUpdateSkipLocked}",
                null, cancellationToken))).ToList();
            foreach (var (id, worker) in orphans)
            {
                var gone = lost.FirstOrDefault(w => w.Name == worker);
                var reason = gone is not null
                    ? $"worker {worker} stopped heartbeating: its last heartbeat was at {Col.Time(gone.HeartbeatAt):u} (timeout {timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s)"
                    : $"worker {worker} was lost while the build was running";
                await ErrorStartedBuildInScopeAsync(scope, id, reason, cancellationToken);
            }
            return new WorkerSweep([.. lost.Select(w => w.ToRecord([]))], [.. orphans.Select(o => o.Id)]);
        }, cancellationToken);
        foreach (var id in sweep.ErroredBuilds)
            await PublishLastSeqAsync(id, cancellationToken);
        return sweep;
    }

    public Task<BuildRecord?> ClaimNextBuildAsync(BuildClaimer claimer, CancellationToken cancellationToken = default) => Changed(
        WriteAsync<BuildRecord?>(async scope =>
        {
            var parameters = new DynamicParameters(new { claimedBy = claimer.Name, worker = claimer.Remote ? claimer.Name : null, now = Now });
            var tags = claimer.Tags.Where(t => t.Length > 0).Distinct(StringComparer.Ordinal).ToList();
            for (var i = 0; i < tags.Count; i++)
                parameters.Add($"tag{i}", tags[i]);
            var fits = tags.Count == 0
                ? " AND NOT EXISTS (SELECT 1 FROM build_tags t WHERE t.build_id = b.id)"
                : " AND EXISTS (SELECT 1 FROM build_tags t WHERE t.build_id = b.id) AND NOT EXISTS (SELECT 1 FROM build_tags t WHERE t.build_id = b.id " +
                  $"AND t.tag NOT IN ({string.Join(", ", tags.Select((_, i) => $"@tag{i}"))}))";
            if (claimer.Remote)
                fits += " AND NOT b.embedded_only";
            // One statement: the pick and the move cannot be split by another claimer (SKIP LOCKED on PostgreSQL,
            // the single writer on SQLite).
            var id = await scope.Connection.ExecuteScalarAsync<long?>(Cmd(scope,
                "UPDATE builds SET status = 'started', started_at = @now, claimed_by = @claimedBy, worker = @worker " +
                $"WHERE id = (SELECT b.id FROM builds b WHERE b.status = 'pending'{fits} ORDER BY b.id LIMIT 1{_dialect.ForUpdateSkipLocked}) " +
                "AND status = 'pending' RETURNING id",
                parameters, cancellationToken));
            return id is { } claimed ? await GetBuildAsync(scope, claimed, cancellationToken) : null;
        }, cancellationToken), Events.PipelineChangeKind.Build, b => b?.PipelineId);

    public Task<IReadOnlyList<string>> GetBuildTagsAsync(long buildId, CancellationToken cancellationToken = default) =>
        ReadAsync<IReadOnlyList<string>>(async c => [.. await c.QueryAsync<string>(Cmd(
            "SELECT tag FROM build_tags WHERE build_id = @buildId ORDER BY tag", new { buildId }, cancellationToken))], cancellationToken);

    public async Task<long?> AppendWorkerEventsAsync(long buildId, string worker, long from, IReadOnlyList<BuildEvent> events, CancellationToken cancellationToken = default)
    {
        var (stored, last) = await WriteAsync<(long? Stored, long Last)>(async scope =>
        {
            var have = await scope.Connection.ExecuteScalarAsync<long?>(Cmd(scope,
                $"SELECT worker_events FROM builds WHERE id = @buildId AND worker = @worker AND status = 'started'{_dialect.ForUpdate}",
                new { buildId, worker }, cancellationToken));
            if (have is not { } count)
                return (null, 0);
            if (from > count)
                throw new StoreException($"build {buildId}: worker {worker} sent events from {from}, but the server has only {count} of its events");
            var fresh = events.Skip((int)Math.Min(count - from, events.Count)).ToList();
            if (fresh.Count == 0)
                return (count, 0);
            var last = await AppendInScopeAsync(scope, buildId, fresh, cancellationToken);
            await scope.Connection.ExecuteAsync(Cmd(scope,
                "UPDATE builds SET worker_events = @total WHERE id = @buildId", new { buildId, total = count + fresh.Count }, cancellationToken));
            return (count + fresh.Count, last);
        }, cancellationToken);
        if (last > 0)
            PublishBuild(buildId, last);
        return stored;
    }

    public Task<long?> GetWorkerEventCountAsync(long buildId, string worker, CancellationToken cancellationToken = default) =>
        ReadAsync(c => c.ExecuteScalarAsync<long?>(Cmd(
            "SELECT worker_events FROM builds WHERE id = @buildId AND worker = @worker", new { buildId, worker }, cancellationToken)), cancellationToken);
}
