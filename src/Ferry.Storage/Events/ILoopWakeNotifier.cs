namespace Ferry.Storage.Events;

/// <summary>
/// Carries a loop's wake-up to the other server nodes sharing a PostgreSQL database, so a build made pending on one
/// node is claimed by another's runner at once rather than at its next interval. On SQLite there is one node, and
/// sending does nothing. A wake is only a hint to look again: a lost one costs the loop's interval, never work.
/// </summary>
public interface ILoopWakeNotifier
{
    /// <summary>Whether wakes reach other nodes (PostgreSQL); when false, <see cref="SendAsync"/> does nothing.</summary>
    bool AcrossNodes { get; }

    /// <summary>Wakes <paramref name="loop"/> on the other nodes; returns once the notice is sent (or given up).</summary>
    Task SendAsync(string loop);

    /// <summary>Calls <paramref name="onWake"/> with the loop's name for every wake another node sent. Dispose to stop.</summary>
    IDisposable Subscribe(Action<string> onWake);
}
