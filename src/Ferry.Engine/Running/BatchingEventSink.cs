using System.Threading.Channels;
using Ferry.Core.Builds;

namespace Ferry.Engine.Running;

/// <summary>
/// Puts a build's events into a store in batches (one append, one transaction, for whatever has queued up) so a
/// flood of log output costs few commits. The queue is bounded: a slow store slows the task's output, it does not
/// fill memory. Dispose (or <see cref="FlushAsync"/>) before reporting the build finished; a failed append is
/// rethrown there and by the next write.
/// </summary>
public sealed class BatchingEventSink : IBuildEventSink, IAsyncDisposable
{
    private const int MaxBatch = 512;
    private readonly Channel<BuildEvent> queue = Channel.CreateBounded<BuildEvent>(new BoundedChannelOptions(4096) { SingleReader = true });
    private readonly Func<IReadOnlyList<BuildEvent>, Task> append;
    private readonly Task pump;
    private Exception? failure;

    /// <param name="append">Stores one batch, in order (e.g. <c>events => store.AppendEventsAsync(buildId, events)</c>).</param>
    public BatchingEventSink(Func<IReadOnlyList<BuildEvent>, Task> append)
    {
        this.append = append;
        pump = Task.Run(PumpAsync);
    }

    public async ValueTask WriteAsync(BuildEvent buildEvent)
    {
        if (failure is not null)
        {
            throw new InvalidOperationException($"build {buildEvent.BuildId}: storing events failed: {failure.Message}", failure);
        }
        await queue.Writer.WriteAsync(buildEvent);
    }

    /// <summary>Stores everything written so far and stops taking events.</summary>
    public async Task FlushAsync()
    {
        queue.Writer.TryComplete();
        await pump;
        if (failure is not null)
        {
            throw new InvalidOperationException($"storing build events failed: {failure.Message}", failure);
        }
    }

    public async ValueTask DisposeAsync() => await FlushAsync();

    private async Task PumpAsync()
    {
        var batch = new List<BuildEvent>(MaxBatch);
        while (await queue.Reader.WaitToReadAsync())
        {
            while (batch.Count < MaxBatch && queue.Reader.TryRead(out var next))
            {
                batch.Add(next);
            }
            try
            {
                if (failure is null)
                {
                    await append([.. batch]);
                }
            }
            catch (Exception e)
            {
                // Keep draining so writers never block on a dead store; the error surfaces to them instead.
                failure = e;
            }
            batch.Clear();
        }
    }
}
