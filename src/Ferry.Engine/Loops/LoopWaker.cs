using System.Collections.Concurrent;
using Ferry.Storage.Events;

namespace Ferry.Engine.Loops;

/// <summary>
/// Wakes a loop before its interval is up (a webhook wakes the checker, a new pending build the runner).
/// Wakes coalesce: several calls while a loop is busy give one extra pass, not many.
/// With several server nodes on one PostgreSQL, a wake of a loop whose work any node may take (<see cref="Shared"/>)
/// also wakes that loop on the other nodes, through the store's <see cref="ILoopWakeNotifier"/>; a node sends at most
/// one such notice per loop per <see cref="NoticeSpacing"/>, so a busy node does not flood the database.
/// </summary>
public sealed class LoopWaker : IDisposable
{
    /// <summary>The loops whose work is in the store for any node to take: a pending build, a job to schedule, a promotion to start.</summary>
    public static readonly IReadOnlySet<string> Shared = new HashSet<string>(StringComparer.Ordinal)
    {
        LoopNames.Runner, LoopNames.Scheduler, LoopNames.Promoter,
    };

    /// <summary>The least time between two notices for one loop; wakes in between go out as one notice at its end.</summary>
    public static readonly TimeSpan NoticeSpacing = TimeSpan.FromMilliseconds(10);

    private readonly ConcurrentDictionary<string, SemaphoreSlim> _signals = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Outbox> _outboxes = new(StringComparer.Ordinal);
    private readonly ILoopWakeNotifier? _acrossNodes;
    private readonly IDisposable? _heard;

    /// <summary>A waker for one node: wakes stay in this process.</summary>
    public LoopWaker()
    {
    }

    /// <summary>A waker that also wakes, and is woken by, the other nodes on the store's database.</summary>
    public LoopWaker(ILoopWakeNotifier acrossNodes)
    {
        if (!acrossNodes.AcrossNodes)
            return;
        _acrossNodes = acrossNodes;
        _heard = acrossNodes.Subscribe(loop =>
        {
            if (Shared.Contains(loop))
                WakeHere(loop);
        });
    }

    public void Wake(string loopName)
    {
        WakeHere(loopName);
        if (_acrossNodes is not null && Shared.Contains(loopName))
            _outboxes.GetOrAdd(loopName, name => new Outbox(name, _acrossNodes)).Post();
    }

    /// <summary>Waits until <paramref name="loopName"/> is woken or <paramref name="timeout"/> passes; true when woken.</summary>
    public Task<bool> WaitAsync(string loopName, TimeSpan timeout, CancellationToken cancellationToken) =>
        Signal(loopName).WaitAsync(timeout, cancellationToken);

    private void WakeHere(string loopName)
    {
        var signal = Signal(loopName);
        lock (signal)
        {
            if (signal.CurrentCount == 0)
                signal.Release();
        }
    }

    private SemaphoreSlim Signal(string loopName) => _signals.GetOrAdd(loopName, _ => new SemaphoreSlim(0, 1));

    public void Dispose() => _heard?.Dispose();

    /// <summary>
    /// One loop's notices to the other nodes: the first wake is sent at once; wakes while it is sent and for
    /// <see cref="NoticeSpacing"/> after give one more notice, not one each.
    /// </summary>
    private sealed class Outbox(string loop, ILoopWakeNotifier notifier)
    {
        private readonly Lock _gate = new();
        private bool _sending;
        private bool _again;

        public void Post()
        {
            lock (_gate)
            {
                if (_sending)
                {
                    _again = true;
                    return;
                }
                _sending = true;
            }
            _ = Task.Run(PumpAsync);
        }

        private async Task PumpAsync()
        {
            while (true)
            {
                try
                {
                    await notifier.SendAsync(loop);
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    // A wake is a hint: the other nodes' loops still look at their interval.
                }
                await Task.Delay(NoticeSpacing);
                lock (_gate)
                {
                    if (!_again)
                    {
                        _sending = false;
                        return;
                    }
                    _again = false;
                }
            }
        }
    }
}
