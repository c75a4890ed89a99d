namespace Ferry.Storage.Tests.Contract;

/// <summary>A clock the test moves: heartbeats and timeouts without waiting.</summary>
internal sealed class SettableClock(DateTimeOffset now) : TimeProvider
{
    private DateTimeOffset _now = now;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
