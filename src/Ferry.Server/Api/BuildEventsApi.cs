using System.Text;
using System.Text.Json;
using Ferry.Core.Builds;
using Ferry.Storage;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Ferry.Server.Api;

/// <summary>
/// A build's events as server-sent events: every stored event in order (<c>id:</c> is its seq, <c>event:</c> its type),
/// live as they are stored, then one <c>end</c> event with the final status. A client that reconnects with
/// <c>Last-Event-ID</c> (or <c>?after=seq</c>) gets only what it missed.
/// </summary>
internal static class BuildEventsApi
{
    // Events are up to a pipe read (64 KB) each: a batch bounds what one stream holds in memory at once.
    private const int Batch = 32;
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);

    // Status changes without events (an abort of a pending build, the runner finishing after its last event) wake no
    // one, so the stream looks at the build's status this often while it waits.
    private static readonly TimeSpan StatusPoll = TimeSpan.FromSeconds(2);

    // Once the runner wrote the final status event, the build row follows within moments.
    private static readonly TimeSpan FinishPoll = TimeSpan.FromMilliseconds(100);

    // After a build ended without a final status event, how long to wait for late events.
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(1);

    public static void Map(RouteGroupBuilder builds) =>
        builds.MapGet("/{id:long}/events", StreamAsync).WithName("StreamBuildEvents")
            .WithSummary("Server-sent events: the build's events from Last-Event-ID (or ?after) on, then 'end'.")
            .Produces(StatusCodes.Status200OK, contentType: "text/event-stream");

    private static async Task StreamAsync(
        IStore store, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, HttpContext http, long id, long? after, CancellationToken ct)
    {
        // A 404 problem before the stream starts when there is no such build.
        await store.BuildAsync(id, ct);
        var seq = StartAfter(http, after);
        var response = http.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        await response.Body.FlushAsync(ct);

        var options = json.Value.SerializerOptions;
        BuildEvent? last = null;
        var settling = false;
        var lastWrite = DateTimeOffset.UtcNow;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var events = await store.ReadEventsAsync(id, seq, Batch, ct);
                foreach (var e in events)
                {
                    await WriteAsync(response, e.Seq.ToString(System.Globalization.CultureInfo.InvariantCulture), Name(e.Type),
                        JsonSerializer.Serialize(BuildEventModel.From(e), options), ct);
                    seq = e.Seq;
                    last = e;
                }
                if (events.Count > 0)
                {
                    await response.Body.FlushAsync(ct);
                    lastWrite = DateTimeOffset.UtcNow;
                }
                if (events.Count == Batch)
                {
                    continue;
                }
                var build = await store.BuildAsync(id, ct);
                var finalEventSeen = IsFinalStatus(last);
                if (build.Status.IsFinal() && (settling || finalEventSeen))
                {
                    await WriteAsync(response, null, "end", JsonSerializer.Serialize(new BuildEnd(id, build.Status, build.Reason), options), ct);
                    await response.Body.FlushAsync(ct);
                    return;
                }
                settling = build.Status.IsFinal();
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
                wait.CancelAfter(finalEventSeen ? FinishPoll : settling ? Settle : StatusPoll);
                try
                {
                    await store.WaitForEventsAsync(id, seq, wait.Token);
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    if (DateTimeOffset.UtcNow - lastWrite >= KeepAlive)
                    {
                        await response.WriteAsync(": keep-alive\n\n", ct);
                        await response.Body.FlushAsync(ct);
                        lastWrite = DateTimeOffset.UtcNow;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The client went away.
        }
    }

    private static long StartAfter(HttpContext http, long? after)
    {
        var header = http.Request.Headers["Last-Event-ID"].ToString();
        if (header.Length > 0)
        {
            return long.TryParse(header, out var seq) && seq >= 0
                ? seq
                : throw ApiException.BadRequest("Last-Event-ID", $"Last-Event-ID '{header}' is not an event seq");
        }
        return after is < 0 ? throw ApiException.BadRequest("after", "after must not be negative") : after ?? 0;
    }

    private static bool IsFinalStatus(BuildEvent? e) =>
        e is { Type: BuildEventType.Status, Text: { } text } && Enum.TryParse<BuildStatus>(text, true, out var status) && status.IsFinal();

    internal static string Name(BuildEventType type) => JsonNamingPolicy.SnakeCaseLower.ConvertName(type.ToString());

    private static async Task WriteAsync(HttpResponse response, string? id, string name, string data, CancellationToken ct)
    {
        var text = new StringBuilder();
        if (id is not null)
        {
            text.Append("id: ").Append(id).Append('\n');
        }
        text.Append("event: ").Append(name).Append('\n');
        // JSON has no raw newlines, so the data is always one line.
        text.Append("data: ").Append(data).Append("\n\n");
        await response.WriteAsync(text.ToString(), ct);
    }
}

public sealed record BuildEventModel(
    long Seq, DateTime Time, BuildEventType Type, string? StepId, LogStream? Stream, string? Text, System.Text.Json.Nodes.JsonObject? Payload)
{
    internal static BuildEventModel From(BuildEvent e) => new(e.Seq, e.Time.UtcDateTime, e.Type, e.StepId, e.Stream, e.Text, e.Payload);
}

/// <summary>The data of the last event of a stream: the build ended with this status.</summary>
public sealed record BuildEnd(long BuildId, BuildStatus Status, string? Reason);
