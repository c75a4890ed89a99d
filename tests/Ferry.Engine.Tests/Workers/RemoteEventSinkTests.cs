using Ferry.Core.Builds;
using Ferry.Engine.Workers;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ferry.Engine.Tests.Workers;

public sealed class RemoteEventSinkTests
{
    private static readonly RemoteEventSinkOptions Fast = new(TimeSpan.FromMilliseconds(50), MaxBatch: 100);

    /// <summary>
    /// The server's side of <c>builds/{id}/events</c> as the protocol says it: it stores only the events it does not
    /// have yet (by <see cref="WorkerEvents.From"/>) and answers how many it has. Its answer can be lost after storing.
    /// </summary>
    private sealed class EventsEndpoint
    {
        private readonly List<string> _stored = [];
        public readonly List<WorkerEvents> Posts = [];
        public Func<int, Exception?> FailAfterStoring = _ => null;
        public Func<WorkerEvents, Exception?> FailBeforeStoring = _ => null;
        public int TakeAtMost = int.MaxValue;

        public IReadOnlyList<string> Stored
        {
            get { lock (_stored) return [.. _stored]; }
        }

        public Task<long> PostAsync(WorkerEvents batch, CancellationToken cancellation)
        {
            lock (_stored)
            {
                Posts.Add(batch);
                if (FailBeforeStoring(batch) is { } refused)
                    throw refused;
                if (batch.From <= _stored.Count)
                    _stored.AddRange(batch.Events.Skip((int)(_stored.Count - batch.From)).Take(TakeAtMost).Select(e => e.Text!));
                if (FailAfterStoring(Posts.Count) is { } lost)
                    throw lost;
                return Task.FromResult((long)_stored.Count);
            }
        }
    }

    private static BuildEvent Line(int n) => new(7, 0, DateTimeOffset.UtcNow, BuildEventType.Log, "task", LogStream.Stdout, $"line {n}\n");

    private static IEnumerable<string> Lines(int from, int count) => Enumerable.Range(from, count).Select(n => $"line {n}\n");

    [Fact]
    public async Task WriteAsync_SendsFewFullBatches_WhenEventsComeFast()
    {
        var server = new EventsEndpoint();
        await using var sink = new RemoteEventSink(7, server.PostAsync, NullLogger.Instance, Fast);

        for (var i = 0; i < 1000; i++)
            await sink.WriteAsync(Line(i));
        (await sink.FlushAsync()).ShouldBeTrue();

        server.Stored.ShouldBe(Lines(0, 1000));
        server.Posts.ShouldAllBe(p => p.Events.Count <= 100);
        server.Posts.Count.ShouldBeLessThan(30);
        sink.Written.ShouldBe(1000);
        sink.Stored.ShouldBe(1000);
    }

    [Fact]
    public async Task WriteAsync_SendsWithinTheInterval_WhenNobodyFlushes()
    {
        var server = new EventsEndpoint();
        await using var sink = new RemoteEventSink(7, server.PostAsync, NullLogger.Instance, new RemoteEventSinkOptions(TimeSpan.FromMilliseconds(150)));

        await sink.WriteAsync(Line(0));
        await sink.WriteAsync(Line(1));

        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (server.Stored.Count < 2 && DateTime.UtcNow < deadline)
            await Task.Delay(20);
        server.Stored.ShouldBe(Lines(0, 2));
        server.Posts.Count.ShouldBeLessThanOrEqualTo(2);
    }

    [Fact]
    public async Task ResentBatch_IsStoredOnce_WhenTheAnswerIsLost()
    {
        // Every other answer is lost after the server stored the batch: the worker sends it again from the same From.
        var server = new EventsEndpoint { FailAfterStoring = n => n % 2 == 1 ? new WorkerServerUnavailableException("connection reset") : null };
        await using var sink = new RemoteEventSink(7, server.PostAsync, NullLogger.Instance, Fast);

        for (var round = 0; round < 5; round++)
        {
            for (var i = 0; i < 150; i++)
                await sink.WriteAsync(Line(round * 150 + i));
            (await sink.FlushAsync()).ShouldBeTrue();
        }

        server.Stored.ShouldBe(Lines(0, 750));
        server.Posts.Count(p => p.From == 0).ShouldBe(2);
        sink.Stored.ShouldBe(750);
    }

    [Fact]
    public async Task Sink_SendsTheRest_WhenTheServerStoresPartOfABatch()
    {
        var server = new EventsEndpoint { TakeAtMost = 7 };
        await using var sink = new RemoteEventSink(7, server.PostAsync, NullLogger.Instance, Fast);

        for (var i = 0; i < 50; i++)
            await sink.WriteAsync(Line(i));
        (await sink.FlushAsync()).ShouldBeTrue();

        server.Stored.ShouldBe(Lines(0, 50));
        server.Posts.Select(p => p.From).ShouldBe([0, 7, 14, 21, 28, 35, 42, 49]);
    }

    [Fact]
    public async Task Events_WaitInMemory_WhileTheServerIsDown()
    {
        var down = true;
        var server = new EventsEndpoint { FailBeforeStoring = _ => Volatile.Read(ref down) ? new WorkerServerUnavailableException("connection refused") : null };
        await using var sink = new RemoteEventSink(7, server.PostAsync, NullLogger.Instance, Fast);

        for (var i = 0; i < 300; i++)
            await sink.WriteAsync(Line(i));
        await Task.Delay(1000);
        server.Stored.ShouldBeEmpty();
        server.Posts.Count.ShouldBeGreaterThan(2);
        Volatile.Write(ref down, false);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        (await sink.FlushAsync(timeout.Token)).ShouldBeTrue();
        server.Stored.ShouldBe(Lines(0, 300));
    }

    [Fact]
    public async Task WriteAsync_Waits_WhenTheQueueIsFull()
    {
        var down = true;
        var server = new EventsEndpoint { FailBeforeStoring = _ => Volatile.Read(ref down) ? new WorkerServerUnavailableException("connection refused") : null };
        var bounded = new RemoteEventSinkOptions(TimeSpan.FromMilliseconds(50), MaxBatch: 100, MaxQueuedEvents: 10);
        await using var sink = new RemoteEventSink(7, server.PostAsync, NullLogger.Instance, bounded);

        for (var i = 0; i < 10; i++)
            await sink.WriteAsync(Line(i));
        var eleventh = sink.WriteAsync(Line(10)).AsTask();
        await Task.Delay(500);
        eleventh.IsCompleted.ShouldBeFalse();
        sink.Written.ShouldBe(10);

        Volatile.Write(ref down, false);
        await eleventh.WaitAsync(TimeSpan.FromSeconds(10));
        (await sink.FlushAsync()).ShouldBeTrue();
        server.Stored.ShouldBe(Lines(0, 11));
    }

    [Fact]
    public async Task Sink_DropsItsEvents_WhenTheBuildIsNoLongerTheWorkers()
    {
        var server = new EventsEndpoint { FailBeforeStoring = b => b.From >= 5 ? new WorkerBuildGoneException(7, 409, "build 7 is not this worker's") : null };
        var gone = 0;
        await using var sink = new RemoteEventSink(7, server.PostAsync, NullLogger.Instance, Fast, onGone: () => Interlocked.Increment(ref gone));

        for (var i = 0; i < 5; i++)
            await sink.WriteAsync(Line(i));
        (await sink.FlushAsync()).ShouldBeTrue();
        await sink.WriteAsync(Line(5));
        (await sink.FlushAsync()).ShouldBeFalse();
        await sink.WriteAsync(Line(6));

        sink.Gone.ShouldBeTrue();
        gone.ShouldBe(1);
        server.Stored.ShouldBe(Lines(0, 5));
    }
}
