using System.Collections.Concurrent;

namespace Ferry.Engine.Loops;

/// <summary>
/// Wakes a loop before its interval is up (a webhook wakes the checker, a new pending build the runner).
/// Wakes coalesce: several calls while a loop is busy give one extra pass, not many.
/// </summary>
public sealed class LoopWaker
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _signals = new(StringComparer.Ordinal);

    public void Wake(string loopName)
    {
        var signal = Signal(loopName);
        lock (signal)
        {
            if (signal.CurrentCount == 0)
            {
                signal.Release();
            }
        }
    }

    /// <summary>Waits until <paramref name="loopName"/> is woken or <paramref name="timeout"/> passes; true when woken.</summary>
    public Task<bool> WaitAsync(string loopName, TimeSpan timeout, CancellationToken cancellationToken) =>
        Signal(loopName).WaitAsync(timeout, cancellationToken);

    private SemaphoreSlim Signal(string loopName) => _signals.GetOrAdd(loopName, _ => new SemaphoreSlim(0, 1));
}
