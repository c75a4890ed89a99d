namespace Ferry.Storage.Events;

internal sealed class InProcessPipelineChangeNotifier : IPipelineChangeNotifier
{
    private volatile Subscription[] _subscribers = [];
    private readonly Lock _gate = new();

    /// <summary>Writers skip the look-ups a notice needs when no one listens.</summary>
    public bool HasSubscribers => _subscribers.Length > 0;

    public IDisposable Subscribe(Action<PipelineChange> onChange)
    {
        var subscription = new Subscription(this, onChange);
        lock (_gate)
        {
            _subscribers = [.. _subscribers, subscription];
        }
        return subscription;
    }

    public void Publish(PipelineChange change)
    {
        foreach (var subscription in _subscribers)
        {
            subscription.Callback(change);
        }
    }

    private void Remove(Subscription subscription)
    {
        lock (_gate)
        {
            _subscribers = [.. _subscribers.Where(s => s != subscription)];
        }
    }

    private sealed class Subscription(InProcessPipelineChangeNotifier owner, Action<PipelineChange> callback) : IDisposable
    {
        public Action<PipelineChange> Callback { get; } = callback;

        public void Dispose() => owner.Remove(this);
    }
}
