using System.Text.Json;
using System.Threading.Channels;
using Ferry.Server.Auth;
using Ferry.Storage;
using Ferry.Storage.Events;
using Microsoft.AspNetCore.Http.Features;

namespace Ferry.Server.Api;

/// <summary>
/// Server-sent events saying that something of a pipeline changed (<c>event: build</c>, <c>promotion</c> or
/// <c>pipeline</c>, data <c>{"pipeline":"…","kind":"…"}</c>), for live pages that then refetch what they show. Only
/// notices of pipelines the user may see; with <c>?pipeline=</c>, only that one's. The stream begins with
/// <c>event: ready</c> once it listens, so a client knows from when on it hears every change.
/// </summary>
internal static class PipelineEventsApi
{
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);

    // A client that falls behind loses the oldest notices: each only says "look again", the newest suffices.
    private const int Backlog = 64;

    public static void Map(RouteGroupBuilder api) =>
        api.MapGet("/events", StreamAsync).WithName("StreamPipelineChanges")
            .WithSummary("Server-sent events: notices that a visible pipeline's builds, promotions or config changed (?pipeline= for one).")
            .Produces(StatusCodes.Status200OK, contentType: "text/event-stream");

    private static async Task StreamAsync(IStore store, Access access, IHostApplicationLifetime lifetime, HttpContext http, string? pipeline,
        CancellationToken aborted)
    {
        // The stream never ends by itself: it ends when the client goes, or when the server stops (not to hold up its shutdown).
        using var both = CancellationTokenSource.CreateLinkedTokenSource(aborted, lifetime.ApplicationStopping);
        var ct = both.Token;
        // A 404 before the stream starts when the pipeline does not exist or the user may not see it.
        int? only = string.IsNullOrEmpty(pipeline) ? null : (await access.RequireAsync(pipeline, Operations.See, ct)).Pipeline.Id;
        var changes = Channel.CreateBounded<PipelineChange>(new BoundedChannelOptions(Backlog)
        {
            FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true,
        });
        using var subscription = store.Changes.Subscribe(change =>
        {
            if (only is null || change.PipelineId == only)
                changes.Writer.TryWrite(change);
        });

        var response = http.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        await response.WriteAsync("event: ready\ndata: {}\n\n", ct);
        await response.Body.FlushAsync(ct);

        // Who may see a pipeline is asked once per pipeline and stream; a pipeline's own change (set to another team) asks again.
        var seen = new Dictionary<int, string?>();
        try
        {
            while (!ct.IsCancellationRequested)
            {
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
                wait.CancelAfter(KeepAlive);
                try
                {
                    await changes.Reader.WaitToReadAsync(wait.Token);
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    await response.WriteAsync(": keep-alive\n\n", ct);
                    await response.Body.FlushAsync(ct);
                    continue;
                }
                while (changes.Reader.TryRead(out var change))
                {
                    if (change.Kind == PipelineChangeKind.Pipeline)
                        seen.Remove(change.PipelineId);
                    if (!seen.TryGetValue(change.PipelineId, out var name))
                        seen[change.PipelineId] = name = await VisibleNameAsync(store, access, change.PipelineId, ct);
                    if (name is null)
                        continue;
                    var kind = JsonNamingPolicy.SnakeCaseLower.ConvertName(change.Kind.ToString());
                    await response.WriteAsync($"event: {kind}\ndata: {JsonSerializer.Serialize(new PipelineChangeModel(name, kind))}\n\n", ct);
                }
                await response.Body.FlushAsync(ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The client went away, or the server stops.
        }
    }

    /// <summary>The pipeline's name when the user may see it; null when not, or when it is gone.</summary>
    private static async Task<string?> VisibleNameAsync(IStore store, Access access, int pipelineId, CancellationToken ct) =>
        await store.GetPipelineByIdAsync(pipelineId, ct) is { } record && await access.PipelineAsync(record, ct) is not null ? record.Name : null;
}

/// <summary>The data of a change notice: which pipeline, and what kind of thing changed there.</summary>
public sealed record PipelineChangeModel(
    [property: System.Text.Json.Serialization.JsonPropertyName("pipeline")] string Pipeline,
    [property: System.Text.Json.Serialization.JsonPropertyName("kind")] string Kind);
