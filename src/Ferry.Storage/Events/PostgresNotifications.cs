using System.Globalization;
using Npgsql;

namespace Ferry.Storage.Events;

/// <summary>
/// Carries the store's notices between server nodes on one PostgreSQL database: every committed event append and
/// pipeline change is also sent with <c>pg_notify</c>, and each store LISTENs on one connection and hands what the
/// other nodes sent to its own listeners, so a log followed on one node shows a build running on another as it runs.
/// Loops' wake-ups travel the same way (<see cref="ILoopWakeNotifier"/>).
/// The channel is per schema, so Ferry installations in several schemas of one database do not hear each other.
/// A notice missed while the listening connection reconnects costs only latency: the streams also poll.
/// </summary>
internal sealed class PostgresNotifications : IAsyncDisposable
{
    private static readonly TimeSpan Reconnect = TimeSpan.FromSeconds(1);
    private readonly NpgsqlDataSource _source;
    private readonly string _channel;
    private readonly string _origin = Guid.NewGuid().ToString("N")[..12];
    private readonly Action<long, long> _onBuild;
    private readonly Action<PipelineChange> _onChange;
    private readonly Action<string> _onWake;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _loop = Task.CompletedTask;
    private int _disposed;

    private PostgresNotifications(NpgsqlDataSource source, string channel, Action<long, long> onBuild, Action<PipelineChange> onChange, Action<string> onWake)
    {
        _onWake = onWake;
        _source = source;
        _channel = channel;
        _onBuild = onBuild;
        _onChange = onChange;
    }

    /// <summary>Starts listening; returns once the LISTEN is in place (or its first attempt failed: it then retries).</summary>
    public static async Task<PostgresNotifications> StartAsync(NpgsqlDataSource source, Action<long, long> onBuild, Action<PipelineChange> onChange,
        Action<string> onWake, CancellationToken cancellationToken)
    {
        string schema;
        await using (var connection = await source.OpenConnectionAsync(cancellationToken))
        await using (var command = new NpgsqlCommand("SELECT current_schema()", connection))
            schema = (string?)await command.ExecuteScalarAsync(cancellationToken) ?? "public";
        var notifications = new PostgresNotifications(source, "ferry_" + schema, onBuild, onChange, onWake);
        notifications._loop = Task.Run(notifications.ListenAsync, CancellationToken.None);
        await notifications._listening.Task.WaitAsync(cancellationToken);
        return notifications;
    }

    public Task SendBuildAsync(long buildId, long lastSeq) =>
        SendAsync(string.Create(CultureInfo.InvariantCulture, $"b {_origin} {buildId} {lastSeq}"));

    public Task SendChangeAsync(PipelineChange change) =>
        SendAsync(string.Create(CultureInfo.InvariantCulture, $"p {_origin} {change.PipelineId} {(int)change.Kind}"));

    /// <summary>A loop's wake-up (<see cref="ILoopWakeNotifier"/>); loop names have no spaces.</summary>
    public Task SendWakeAsync(string loop) => SendAsync($"w {_origin} {loop} -");

    private async Task SendAsync(string payload)
    {
        // After the write committed; a lost notice only delays other nodes' streams, so it never fails the write.
        try
        {
            await using var connection = await _source.OpenConnectionAsync(_stop.Token);
            await using var command = new NpgsqlCommand("SELECT pg_notify(@channel, @payload)", connection);
            command.Parameters.AddWithValue("channel", _channel);
            command.Parameters.AddWithValue("payload", payload);
            await command.ExecuteNonQueryAsync(_stop.Token);
        }
        catch (Exception e) when (e is NpgsqlException or OperationCanceledException or ObjectDisposedException)
        {
            // the database or this store is going away
        }
    }

    private async Task ListenAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await using var connection = await _source.OpenConnectionAsync(_stop.Token);
                connection.Notification += (_, e) => Dispatch(e.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN \"{_channel}\"", connection))
                    await listen.ExecuteNonQueryAsync(_stop.Token);
                _listening.TrySetResult();
                while (true)
                    await connection.WaitAsync(_stop.Token);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or IOException or TimeoutException)
            {
                _listening.TrySetResult();
                try
                {
                    await Task.Delay(Reconnect, _stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private void Dispatch(string payload)
    {
        var parts = payload.Split(' ');
        if (parts.Length != 4 || parts[1] == _origin)
            return;
        if (parts[0] == "b" && long.TryParse(parts[2], CultureInfo.InvariantCulture, out var build) && long.TryParse(parts[3], CultureInfo.InvariantCulture, out var seq))
            _onBuild(build, seq);
        else if (parts[0] == "p" && int.TryParse(parts[2], CultureInfo.InvariantCulture, out var pipeline) && int.TryParse(parts[3], CultureInfo.InvariantCulture, out var kind))
            _onChange(new PipelineChange(pipeline, (PipelineChangeKind)kind));
        else if (parts[0] == "w")
            _onWake(parts[2]);
    }

    public async ValueTask DisposeAsync()
    {
        // A store may be disposed twice (by its owner and by a container): the second does nothing.
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
            return;
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }
}
