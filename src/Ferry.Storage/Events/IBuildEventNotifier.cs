namespace Ferry.Storage.Events;

/// <summary>
/// Signals that a build's events grew (after the append committed). In-process for now; with several PostgreSQL
/// nodes this is where LISTEN/NOTIFY plugs in.
/// </summary>
public interface IBuildEventNotifier
{
    /// <summary>Calls <paramref name="onAppended"/> with the build's last seq after every committed append. Dispose to stop.</summary>
    IDisposable Subscribe(long buildId, Action<long> onAppended);

}
