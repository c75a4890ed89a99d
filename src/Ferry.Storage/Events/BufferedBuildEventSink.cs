using System.Threading.Channels;
using Ferry.Core.Builds;

namespace Ferry.Storage.Events;

/// <summary>
/// The store as a build's event sink, for log ingest at full speed: <see cref="WriteAsync"/> queues the event and returns;
/// a background loop appends whatever is queued in one transaction (group commit). An event is acknowledged (durable)
/// once <see cref="FlushAsync"/> or <see cref="DisposeAsync"/> returns; flush before reporting a build's end.
/// A full queue makes <see cref="WriteAsync"/> wait, so a fast process cannot outrun the store without bound.
/// </summary>
public sealed class BufferedBuildEventSink : IBuildEventSink, IAsyncDisposable
{
    private readonly IBuildEventStore _store;
    private readonly long _buildId;
    private readonly int _maxBatch;
    private readonly Channel<Item> _queue;
    private readonly Task _loop;
    private volatile Exception? _failure;

    public BufferedBuildEventSink(IBuildEventStore store, long buildId, int queueCapacity = 256, int maxBatch = 512)
    {
        _store = store;
        _buildId = buildId;
        _maxBatch = maxBatch;
        _queue = Channel.CreateBounded<Item>(new BoundedChannelOptions(queueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        _loop = Task.Run(RunAsync);
    }

    public async ValueTask WriteAsync(BuildEvent buildEvent)
    {
        ThrowIfFailed();
        await _queue.Writer.WriteAsync(new Item(buildEvent, null));
    }

    /// <summary>Returns once every event written before the call is committed; throws if an append failed.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfFailed();
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await _queue.Writer.WriteAsync(new Item(null, done), cancellationToken);
        await done.Task.WaitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop;
        ThrowIfFailed();
    }

    private async Task RunAsync()
    {
        var events = new List<BuildEvent>(_maxBatch);
        var flushes = new List<TaskCompletionSource>();
        while (await _queue.Reader.WaitToReadAsync())
        {
            while (events.Count < _maxBatch && _queue.Reader.TryRead(out var item))
            {
                if (item.Event is not null)
                {
                    events.Add(item.Event);
                }
                if (item.Flushed is not null)
                {
                    flushes.Add(item.Flushed);
                    break;
                }
            }
            try
            {
                if (_failure is null && events.Count > 0)
                {
                    await _store.AppendEventsAsync(_buildId, events);
                }
            }
            catch (Exception e)
            {
                _failure = new StoreException($"storing the events of build {_buildId}: {e.Message}", e);
            }
            foreach (var flush in flushes)
            {
                if (_failure is { } failure)
                {
                    flush.TrySetException(failure);
                }
                else
                {
                    flush.TrySetResult();
                }
            }
            events.Clear();
            flushes.Clear();
        }
    }

    private void ThrowIfFailed()
    {
        if (_failure is { } failure)
        {
            throw failure;
        }
    }

    private sealed record Item(BuildEvent? Event, TaskCompletionSource? Flushed);
}
