using Ferry.Core.Builds;
using Ferry.Storage;

namespace Ferry.Server.Logs;

/// <summary>
/// A bounded part of a build's events: a log of many megabytes is read, sent and shown a window at a time (by default
/// its last <see cref="DefaultChars"/> characters), never whole, so one page or API call costs the same whatever the
/// log's size. <see cref="HasEarlier"/> and <see cref="HasLater"/> say whether there is more on either side.
/// </summary>
internal sealed record LogWindow(IReadOnlyList<BuildEvent> Events, bool HasEarlier, bool HasLater)
{
    public const int DefaultChars = 256 * 1024;
    public const int MaxChars = 4 * 1024 * 1024;

    // An event is one pipe read (up to 64 KB, or a long line) or a single line of a slow task: the first read takes a
    // few, and each next one as many as the text still wanted needs at the size seen so far.
    private const int FirstBatch = 8;
    private const int MaxBatch = 1000;

    /// <summary>The seq of the first event, 0 when there is none.</summary>
    public long FirstSeq => Events.Count > 0 ? Events[0].Seq : 0;

    public long LastSeq => Events.Count > 0 ? Events[^1].Seq : 0;

    /// <summary>
    /// The events before <paramref name="beforeSeq"/> (the end when null), going back until they hold at least
    /// <paramref name="chars"/> characters of text, or to the first event.
    /// </summary>
    public static async Task<LogWindow> BeforeAsync(IStore store, long buildId, long? beforeSeq, int chars, CancellationToken cancellationToken)
    {
        var before = beforeSeq ?? long.MaxValue;
        var taken = new List<BuildEvent>();
        long total = 0;
        var batch = FirstBatch;
        while (total < chars)
        {
            var page = await store.ReadEventsBeforeAsync(buildId, before, batch, cancellationToken);
            for (var i = page.Count - 1; i >= 0 && total < chars; i--)
            {
                taken.Add(page[i]);
                total += page[i].Text?.Length ?? 0;
            }
            if (page.Count < batch || taken.Count == 0)
            {
                break;
            }
            before = taken[^1].Seq;
            batch = NextBatch(chars, total, taken.Count);
        }
        taken.Reverse();
        var first = taken.Count > 0 ? taken[0].Seq : before;
        var earlier = (await store.ReadEventsBeforeAsync(buildId, first, 1, cancellationToken)).Count > 0;
        var later = beforeSeq is { } b && (await store.ReadEventsAsync(buildId, (taken.Count > 0 ? taken[^1].Seq : b - 1), 1, cancellationToken)).Count > 0;
        return new LogWindow(taken, earlier, later);
    }

    /// <summary>The events after <paramref name="afterSeq"/>, going on until they hold at least <paramref name="chars"/> characters of text, or to the last event.</summary>
    public static async Task<LogWindow> AfterAsync(IStore store, long buildId, long afterSeq, int chars, CancellationToken cancellationToken)
    {
        var after = afterSeq;
        var taken = new List<BuildEvent>();
        long total = 0;
        var batch = FirstBatch;
        while (total < chars)
        {
            var page = await store.ReadEventsAsync(buildId, after, batch, cancellationToken);
            foreach (var e in page)
            {
                if (total >= chars)
                {
                    break;
                }
                taken.Add(e);
                total += e.Text?.Length ?? 0;
            }
            if (page.Count < batch || taken.Count == 0)
            {
                break;
            }
            after = taken[^1].Seq;
            batch = NextBatch(chars, total, taken.Count);
        }
        var last = taken.Count > 0 ? taken[^1].Seq : afterSeq;
        var later = (await store.ReadEventsAsync(buildId, last, 1, cancellationToken)).Count > 0;
        var earlier = afterSeq > 0 && (await store.ReadEventsBeforeAsync(buildId, afterSeq + 1, 1, cancellationToken)).Count > 0;
        return new LogWindow(taken, earlier, later);
    }

    private static int NextBatch(int chars, long total, int events)
    {
        var average = Math.Max(1, total / events);
        return (int)Math.Clamp((chars - total) / average + 1, 1, MaxBatch);
    }
}
