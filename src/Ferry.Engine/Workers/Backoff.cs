namespace Ferry.Engine.Workers;

/// <summary>
/// Waits between attempts to reach the server: 100 ms, doubling up to <see cref="Cap"/>. The cap is short so a
/// worker is back within about two seconds of a server's restart.
/// </summary>
public sealed class Backoff(TimeSpan? cap = null)
{
    private static readonly TimeSpan First = TimeSpan.FromMilliseconds(100);
    private TimeSpan _next = First;

    public TimeSpan Cap { get; } = cap ?? TimeSpan.FromSeconds(2);

    /// <summary>How many attempts failed since the last success.</summary>
    public int Failures { get; private set; }

    public async Task WaitAsync(CancellationToken cancellation)
    {
        Failures++;
        var delay = _next;
        _next = TimeSpan.FromTicks(Math.Min(_next.Ticks * 2, Cap.Ticks));
        await Task.Delay(delay, cancellation);
    }

    public void Reset()
    {
        Failures = 0;
        _next = First;
    }
}
