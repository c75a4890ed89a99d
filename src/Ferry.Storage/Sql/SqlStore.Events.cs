using Dapper;
using Ferry.Core.Builds;

namespace Ferry.Storage.Sql;

internal sealed partial class SqlStore
{
    public async Task<long> AppendEventsAsync(long buildId, IReadOnlyList<BuildEvent> events, CancellationToken cancellationToken = default)
    {
        if (events.Count == 0)
        {
            return await LastSeqAsync(buildId, cancellationToken);
        }
        var last = await WriteAsync(scope => AppendInScopeAsync(scope, buildId, events, cancellationToken), cancellationToken);
        PublishBuild(buildId, last);
        return last;
    }

    private async Task<long> AppendInScopeAsync(WriteScope scope, long buildId, IReadOnlyList<BuildEvent> events, CancellationToken cancellationToken)
    {
        var seq = await scope.Connection.ExecuteScalarAsync<long>(Cmd(scope,
            "SELECT COALESCE(MAX(seq), 0) FROM build_events WHERE build_id = @buildId", new { buildId }, cancellationToken));
        var rows = new List<EventRow>(events.Count);
        foreach (var e in events)
        {
            rows.Add(EventRow.From(buildId, ++seq, e));
        }
        try
        {
            await _dialect.AppendEventRowsAsync(scope, rows, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException and not StoreException)
        {
            throw new StoreException($"appending {rows.Count} events to build {buildId}: {e.Message}", e);
        }
        return seq;
    }

    public Task<IReadOnlyList<BuildEvent>> ReadEventsAsync(long buildId, long afterSeq = 0, int limit = 1000, CancellationToken cancellationToken = default) =>
        ReadAsync<IReadOnlyList<BuildEvent>>(async c => [.. (await c.QueryAsync<EventRow>(Cmd(
            "SELECT build_id, seq, time, type, step_id, stream, text, payload FROM build_events WHERE build_id = @buildId AND seq > @afterSeq ORDER BY seq LIMIT @limit",
            new { buildId, afterSeq, limit = Math.Clamp(limit, 1, 100_000) }, cancellationToken))).Select(r => r.ToEvent())], cancellationToken);

    public Task<IReadOnlyList<BuildEvent>> ReadEventsBeforeAsync(long buildId, long beforeSeq, int limit = 1000, CancellationToken cancellationToken = default) =>
        ReadAsync<IReadOnlyList<BuildEvent>>(async c => [.. (await c.QueryAsync<EventRow>(Cmd(
            "SELECT build_id, seq, time, type, step_id, stream, text, payload FROM build_events WHERE build_id = @buildId AND seq < @beforeSeq ORDER BY seq DESC LIMIT @limit",
            new { buildId, beforeSeq, limit = Math.Clamp(limit, 1, 100_000) }, cancellationToken))).Reverse().Select(r => r.ToEvent())], cancellationToken);

    public Task<IReadOnlyList<BuildEvent>> ReadOutlineEventsAsync(long buildId, long beforeSeq = long.MaxValue, CancellationToken cancellationToken = default) =>
        ReadAsync<IReadOnlyList<BuildEvent>>(async c => [.. (await c.QueryAsync<EventRow>(Cmd(
            "SELECT build_id, seq, time, type, step_id, stream, text, payload FROM build_events WHERE build_id = @buildId AND seq < @beforeSeq AND type <> @log ORDER BY seq",
            new { buildId, beforeSeq, log = EventRow.TypeText(BuildEventType.Log) }, cancellationToken))).Select(r => r.ToEvent())], cancellationToken);

    public Task<bool> HasPhaseAsync(long buildId, string phase, CancellationToken cancellationToken = default) =>
        ReadAsync(async c => await c.ExecuteScalarAsync<long?>(Cmd(
            "SELECT 1 FROM build_events WHERE build_id = @buildId AND type = 'phase' AND text = @phase LIMIT 1",
            new { buildId, phase }, cancellationToken)) is not null, cancellationToken);

    public async Task WaitForEventsAsync(long buildId, long afterSeq, CancellationToken cancellationToken)
    {
        var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // Subscribe before looking, so an append between the look and the wait still wakes us.
        using var subscription = _notifier.Subscribe(buildId, seq =>
        {
            if (seq > afterSeq)
            {
                signal.TrySetResult();
            }
        });
        if (await LastSeqAsync(buildId, cancellationToken) > afterSeq)
        {
            return;
        }
        await signal.Task.WaitAsync(cancellationToken);
    }

    public Task<int> PruneEventsAsync(int keepBuildsPerJob, CancellationToken cancellationToken = default) =>
        WriteAsync(scope => scope.Connection.ExecuteAsync(Cmd(scope,
            "DELETE FROM build_events WHERE build_id IN (SELECT id FROM (" +
            "SELECT id, status, ROW_NUMBER() OVER (PARTITION BY job_id ORDER BY id DESC) AS n FROM builds WHERE job_id IS NOT NULL) ranked " +
            "WHERE n > @keep AND status NOT IN ('pending', 'started'))",
            new { keep = Math.Max(0, keepBuildsPerJob) }, cancellationToken)), cancellationToken);

    private Task<long> LastSeqAsync(long buildId, CancellationToken cancellationToken) =>
        ReadAsync(c => c.ExecuteScalarAsync<long>(Cmd(
            "SELECT COALESCE(MAX(seq), 0) FROM build_events WHERE build_id = @buildId", new { buildId }, cancellationToken)), cancellationToken);

    private async Task PublishLastSeqAsync(long buildId, CancellationToken cancellationToken) =>
        PublishBuild(buildId, await LastSeqAsync(buildId, cancellationToken));
}
