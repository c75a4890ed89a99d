using Ferry.Storage.Events;
using Npgsql;

namespace Ferry.Storage.Sql;

/// <summary>Tells this store's listeners, and on PostgreSQL the other nodes' (<see cref="PostgresNotifications"/>), what committed.</summary>
internal sealed partial class SqlStore
{
    private PostgresNotifications? _acrossNodes;
    private readonly LoopWakeNotifier _wakes = new();

    public ILoopWakeNotifier Wakes => _wakes;

    /// <summary>Starts hearing the other nodes on this database (PostgreSQL only); called once, when the store opens.</summary>
    internal async Task ListenAcrossNodesAsync(NpgsqlDataSource source, CancellationToken cancellationToken)
    {
        _acrossNodes = await PostgresNotifications.StartAsync(source, _notifier.Publish, _changes.Publish, _wakes.Publish, cancellationToken);
        _wakes.Remote = _acrossNodes;
    }

    private void PublishBuild(long buildId, long lastSeq)
    {
        _notifier.Publish(buildId, lastSeq);
        if (_acrossNodes is { } remote)
            _ = remote.SendBuildAsync(buildId, lastSeq);
    }

    private void PublishChange(PipelineChange change)
    {
        _changes.Publish(change);
        if (_acrossNodes is { } remote)
            _ = remote.SendChangeAsync(change);
    }
}
