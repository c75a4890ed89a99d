using Ferry.Core.Builds;
using Microsoft.Extensions.Logging;

namespace Ferry.Engine.Workers;

/// <param name="Interval">How long an event waits at most before it is sent (with whatever came after it).</param>
/// <param name="MaxBatch">Most events in one call; this many queued are sent at once, without waiting for the interval.</param>
/// <param name="MaxQueuedEvents">Beyond this many events not yet taken by the server, writing waits (see <see cref="RemoteEventSink"/>).</param>
/// <param name="MaxQueuedChars">The same bound in characters of text (log lines), so a few huge lines cannot fill the memory either.</param>
public sealed record RemoteEventSinkOptions(
    TimeSpan Interval, int MaxBatch = 500, int MaxQueuedEvents = 100_000, long MaxQueuedChars = 32 * 1024 * 1024)
{
    public static RemoteEventSinkOptions Default { get; } = new(TimeSpan.FromMilliseconds(150));
}

/// <summary>
/// A remote worker's build events on their way to the server: <see cref="WriteAsync"/> queues an event in memory and
/// returns; one loop posts what is queued every <see cref="RemoteEventSinkOptions.Interval"/> (at once when a batch
/// is full), numbered by <see cref="WorkerEvents.From"/> so a batch resent after a lost answer is stored once. Events
/// leave the queue only when the server's answer says it has them.
/// </summary>
/// <remarks>
/// While the server cannot be reached the loop retries with <see cref="Backoff"/> and the build keeps running, its
/// events queued. The queue is bounded (<see cref="RemoteEventSinkOptions.MaxQueuedEvents"/>, <see cref="RemoteEventSinkOptions.MaxQueuedChars"/>):
/// beyond it <see cref="WriteAsync"/> waits, which the log says, so the build's steps stop reading their processes'
/// output and those processes block on a full pipe until the server is back. Nothing is dropped and the memory stays
/// bounded; the price is that a build producing much output pauses during a long outage (its timeouts still run).
/// When the server answers that the build is no longer this worker's, the queue is dropped and
/// <see cref="Gone"/> is set: the worker stops the build without reporting anything more.
/// </remarks>
public sealed class RemoteEventSink : IBuildEventSink, IAsyncDisposable
{
    private readonly long _buildId;
    private readonly Func<WorkerEvents, CancellationToken, Task<long>> _post;
    private readonly RemoteEventSinkOptions _options;
    private readonly ILogger _logger;
    private readonly CancellationToken _stopping;
    private readonly Action? _onGone;
    private readonly Lock _gate = new();
    private readonly LinkedList<BuildEvent> _queue = new();
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly Task _loop;
    private TaskCompletionSource _progress = NewSignal();
    private long _written;
    private long _stored;
    private long _queuedChars;
    private bool _completed;
    private bool _stalled;
    private bool _urgent;
    private volatile bool _gone;

    /// <param name="post">Posts one batch (<see cref="WorkerClient.PostEventsAsync"/> for the build) and returns how many events the server has.</param>
    /// <param name="stopping">Ends the retries: the worker is stopping for good (its token was revoked, or its stop took too long).</param>
    /// <param name="onGone">Called once when the server answers that the build is not this worker's any more.</param>
    public RemoteEventSink(long buildId, Func<WorkerEvents, CancellationToken, Task<long>> post, ILogger logger,
        RemoteEventSinkOptions? options = null, Action? onGone = null, CancellationToken stopping = default)
    {
        _buildId = buildId;
        _post = post;
        _logger = logger;
        _options = options ?? RemoteEventSinkOptions.Default;
        _onGone = onGone;
        _stopping = stopping;
        _loop = Task.Run(RunAsync, CancellationToken.None);
    }

    /// <summary>How many events were written in all: the end's <see cref="WorkerBuildEnd.EventCount"/>.</summary>
    public long Written
    {
        get { lock (_gate) return _written; }
    }

    /// <summary>How many of them the server said it has.</summary>
    public long Stored
    {
        get { lock (_gate) return _stored; }
    }

    /// <summary>The server answered that the build is no longer this worker's; events written since are dropped.</summary>
    public bool Gone => _gone;

    public async ValueTask WriteAsync(BuildEvent buildEvent)
    {
        while (true)
        {
            Task progress;
            lock (_gate)
            {
                if (_gone)
                    return;
                if (_queue.Count < _options.MaxQueuedEvents && _queuedChars < _options.MaxQueuedChars)
                {
                    _queue.AddLast(buildEvent);
                    _written++;
                    _queuedChars += Size(buildEvent);
                    if (_stalled)
                    {
                        _stalled = false;
                        _logger.LogInformation("build {Build}: the server takes its events again; its output goes on", _buildId);
                    }
                    if (_queue.Count >= _options.MaxBatch)
                        Wake();
                    return;
                }
                if (!_stalled)
                {
                    _stalled = true;
                    _logger.LogWarning("build {Build}: {Count} events ({Chars} characters) wait for the server, the most this worker keeps; " +
                        "the build's output waits (its processes block on writing) until the server takes them", _buildId, _queue.Count, _queuedChars);
                }
                progress = _progress.Task;
                _urgent = true;
                Wake();
            }
            await progress.WaitAsync(_stopping);
        }
    }

    /// <summary>Sends what is queued now and returns once the server has every event written before the call.</summary>
    /// <returns>False when the build turned out not to be this worker's any more (nothing more is sent).</returns>
    public async Task<bool> FlushAsync(CancellationToken cancellation = default)
    {
        long target;
        lock (_gate)
            target = _written;
        while (true)
        {
            Task progress;
            lock (_gate)
            {
                if (_gone)
                    return false;
                if (_stored >= target)
                    return true;
                progress = _progress.Task;
                _urgent = true;
                Wake();
            }
            await progress.WaitAsync(cancellation);
        }
    }

    private void Wake()
    {
        if (_wake.CurrentCount == 0)
        {
            try
            {
                _wake.Release();
            }
            catch (SemaphoreFullException)
            {
                // woken already
            }
        }
    }

    private async Task RunAsync()
    {
        var backoff = new Backoff();
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                await _wake.WaitAsync(_options.Interval, _stopping);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            for (var sent = 0; !_stopping.IsCancellationRequested; sent++)
            {
                WorkerEvents batch;
                lock (_gate)
                {
                    if (_gone || _queue.Count == 0)
                    {
                        _urgent = false;
                        break;
                    }
                    // After the first batch of a round, only full ones go at once (unless someone waits for them):
                    // events trickling in while a fast server answers would otherwise go one call each.
                    if (sent > 0 && _queue.Count < _options.MaxBatch && !_urgent && !_completed)
                        break;
                    batch = new WorkerEvents(_stored, [.. _queue.Take(_options.MaxBatch)]);
                }
                if (!await SendAsync(batch, backoff))
                    break;
            }
            lock (_gate)
            {
                if (_gone || (_completed && _queue.Count == 0))
                    break;
            }
        }
        lock (_gate)
            Signal();
    }

    /// <summary>One attempt; false when the loop should wait before the next one.</summary>
    private async Task<bool> SendAsync(WorkerEvents batch, Backoff backoff)
    {
        long stored;
        try
        {
            stored = await _post(batch, _stopping);
        }
        catch (WorkerBuildGoneException e)
        {
            _logger.LogWarning("build {Build}: the server no longer takes its events ({Message}); the build is stopped", _buildId, e.Message);
            lock (_gate)
            {
                _gone = true;
                _queue.Clear();
                _queuedChars = 0;
                Signal();
            }
            _onGone?.Invoke();
            return false;
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            return false;
        }
        catch (Exception e)
        {
            if (backoff.Failures == 0)
                _logger.LogWarning("build {Build}: could not send {Count} events, trying again: {Message}", _buildId, batch.Events.Count, e.Message);
            await WaitQuietlyAsync(backoff);
            return true;
        }
        // Of the batch, the server has the first (stored - From); it never has fewer than it said before.
        var taken = (int)Math.Clamp(stored - batch.From, 0, batch.Events.Count);
        lock (_gate)
        {
            for (var i = 0; i < taken; i++)
            {
                _queuedChars -= Size(_queue.First!.Value);
                _queue.RemoveFirst();
            }
            _stored += taken;
            Signal();
        }
        if (taken == 0)
        {
            if (stored < batch.From)
                _logger.LogError("build {Build}: the server says it has {Stored} events, fewer than the {From} it had", _buildId, stored, batch.From);
            // An answer that takes nothing is tried again later, not at once.
            await WaitQuietlyAsync(backoff);
            return true;
        }
        if (backoff.Failures > 0)
            _logger.LogInformation("build {Build}: the server takes its events again", _buildId);
        backoff.Reset();
        return true;
    }

    private async Task WaitQuietlyAsync(Backoff backoff)
    {
        try
        {
            await backoff.WaitAsync(_stopping);
        }
        catch (OperationCanceledException)
        {
            // stopping: the loop ends
        }
    }

    /// <summary>Wakes whoever waits for progress (a flush, a writer held by the bound). Called under the gate.</summary>
    private void Signal()
    {
        var done = _progress;
        _progress = NewSignal();
        done.TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static long Size(BuildEvent e) => 64 + (e.Text?.Length ?? 0) + (e.Payload is null ? 0 : 256);

    /// <summary>Sends what is left, then ends the loop (it ends early when the build is gone or the worker stops for good).</summary>
    public async ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            _completed = true;
            Wake();
        }
        await _loop;
        _wake.Dispose();
    }
}
