using Ferry.Core.Builds;
using Ferry.Engine.Running;

namespace Ferry.Engine.Tests.Running;

public sealed class BatchingEventSinkTests
{
    private static BuildEvent Line(int i) => new(7, 0, DateTimeOffset.UnixEpoch, BuildEventType.Log, "s", LogStream.Stdout, $"{i}\n");

    [Fact]
    public async Task FlushAsync_StoresEveryEventInOrderInFewerAppends_WhenWritesOutpaceStore()
    {
        var stored = new List<BuildEvent>();
        var appends = 0;
        var sink = new BatchingEventSink(async batch =>
        {
            appends++;
            await Task.Delay(5);
            stored.AddRange(batch);
        });

        for (var i = 0; i < 2000; i++)
        {
            await sink.WriteAsync(Line(i));
        }
        await sink.FlushAsync();

        stored.Select(e => e.Text).ShouldBe(Enumerable.Range(0, 2000).Select(i => $"{i}\n"));
        appends.ShouldBeLessThan(200);
    }

    [Fact]
    public async Task WriteAsync_Throws_AfterStoreFailed()
    {
        var sink = new BatchingEventSink(_ => throw new IOException("disk full"));
        await sink.WriteAsync(Line(1));

        var error = await Should.ThrowAsync<InvalidOperationException>(() => sink.FlushAsync());

        error.Message.ShouldContain("disk full");
        await Should.ThrowAsync<InvalidOperationException>(async () => await sink.WriteAsync(Line(2)));
    }
}
