namespace Ferry.Storage.Events;

/// <summary>
/// Signals that a build's events grew (after the append committed), on this node or, on PostgreSQL, on any node
/// sharing the database (LISTEN/NOTIFY: <see cref="PostgresNotifications"/>).
/// </summary>
public interface IBuildEventNotifier
{
    /// <summary>Calls <paramref name="onAppended"/> with the build's last seq after every committed append. Dispose to stop.</summary>
    IDisposable Subscribe(long buildId, Action<long> onAppended);

}
