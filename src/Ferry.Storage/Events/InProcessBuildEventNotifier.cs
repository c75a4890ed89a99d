using System.Collections.Concurrent;

namespace Ferry.Storage.Events;

internal sealed class InProcessBuildEventNotifier : IBuildEventNotifier
{
    private readonly ConcurrentDictionary<long, ImmutableSubscribers> _subscribers = new();

    public IDisposable Subscribe(long buildId, Action<long> onAppended)
    {
        var subscription = new Subscription(this, buildId, onAppended);
        _subscribers.AddOrUpdate(buildId, _ => new([subscription]), (_, s) => new([.. s.Items, subscription]));
        return subscription;
    }

    internal void Publish(long buildId, long lastSeq)
    {
        if (_subscribers.TryGetValue(buildId, out var subscribers))
        {
            foreach (var subscription in subscribers.Items)
            {
                subscription.Callback(lastSeq);
            }
        }
    }

    private void Remove(Subscription subscription)
    {
        while (_subscribers.TryGetValue(subscription.BuildId, out var current))
        {
            var rest = current.Items.Where(s => s != subscription).ToArray();
            var done = rest.Length == 0
                ? _subscribers.TryRemove(new KeyValuePair<long, ImmutableSubscribers>(subscription.BuildId, current))
                : _subscribers.TryUpdate(subscription.BuildId, new(rest), current);
            if (done)
            {
                return;
            }
        }
    }

    private sealed record ImmutableSubscribers(Subscription[] Items);

    private sealed class Subscription(InProcessBuildEventNotifier owner, long buildId, Action<long> callback) : IDisposable
    {
        public long BuildId { get; } = buildId;
        public Action<long> Callback { get; } = callback;

        public void Dispose() => owner.Remove(this);
    }
}
