using Ferry.Server.Logs;
using Ferry.Storage;

namespace Ferry.Server.Api;

/// <summary>
/// A build's events a page at a time: by default the last <see cref="LogWindow.DefaultChars"/> characters of its log;
/// <c>?before=seq</c> pages back from there, <c>?after=seq</c> forward. A page never holds more than
/// <see cref="LogWindow.MaxChars"/> characters and one event, so a log of any size costs the same to read.
/// </summary>
internal static class BuildLogApi
{
    public static void Map(RouteGroupBuilder builds) =>
        builds.MapGet("/{id:long}/log", PageAsync).WithName("GetBuildLog")
            .WithSummary("A page of the build's events: the end of its log, or the part before ?before= or after ?after= (a seq), about ?chars= characters.");

    private static async Task<BuildLogPage> PageAsync(IStore store, long id, long? before, long? after, int? chars, CancellationToken ct)
    {
        await store.BuildAsync(id, ct);
        if (before is not null && after is not null)
        {
            throw ApiException.BadRequest("before", "give before or after, not both");
        }
        if (before is < 1 || after is < 0)
        {
            throw ApiException.BadRequest(before is not null ? "before" : "after", "a seq is a positive number");
        }
        if (chars is < 1 or > LogWindow.MaxChars)
        {
            throw ApiException.BadRequest("chars", $"chars must be between 1 and {LogWindow.MaxChars}, not {chars}");
        }
        var size = chars ?? LogWindow.DefaultChars;
        var window = after is { } a
            ? await LogWindow.AfterAsync(store, id, a, size, ct)
            : await LogWindow.BeforeAsync(store, id, before, size, ct);
        return new BuildLogPage(id, [.. window.Events.Select(BuildEventModel.From)], window.FirstSeq, window.LastSeq, window.HasEarlier, window.HasLater);
    }
}

/// <param name="FirstSeq">The seq of the first event in <paramref name="Events"/> (0 when empty): the next <c>?before=</c> for earlier output.</param>
/// <param name="LastSeq">The seq of the last event: the next <c>?after=</c> for later output.</param>
/// <param name="Earlier">Whether the build has events before this page.</param>
/// <param name="Later">Whether the build has events after this page (so far).</param>
public sealed record BuildLogPage(long BuildId, IReadOnlyList<BuildEventModel> Events, long FirstSeq, long LastSeq, bool Earlier, bool Later);
