namespace Ferry.Storage.Events;

/// <summary>The store's <see cref="ILoopWakeNotifier"/>: sends through the store's <see cref="PostgresNotifications"/>, when there are any.</summary>
internal sealed class LoopWakeNotifier : ILoopWakeNotifier
{
    private volatile Action<string>[] _subscribers = [];
    private readonly Lock _gate = new();

    /// <summary>Set once the store listens across nodes (PostgreSQL).</summary>
    public PostgresNotifications? Remote { get; set; }

    public bool AcrossNodes => Remote is not null;

    public Task SendAsync(string loop) => Remote is { } remote ? remote.SendWakeAsync(loop) : Task.CompletedTask;

    public IDisposable Subscribe(Action<string> onWake)
    {
        lock (_gate)
            _subscribers = [.. _subscribers, onWake];
        return new Subscription(this, onWake);
    }

    /// <summary>A wake another node sent.</summary>
    public void Publish(string loop)
    {
        foreach (var subscriber in _subscribers)
            subscriber(loop);
    }

    private sealed class Subscription(LoopWakeNotifier owner, Action<string> onWake) : IDisposable
    {
        public void Dispose()
        {
            lock (owner._gate)
                owner._subscribers = [.. owner._subscribers.Where(s => s != onWake)];
        }
    }
}
