using System.Text.Json.Nodes;
using Ferry.Cli.Client;

namespace Ferry.Cli.Builds;

/// <summary>
/// Streams a build's events (<c>/api/v1/builds/{id}/events</c>) to the terminal: log text as it comes, steps and
/// errors as short lines. Reconnects with Last-Event-ID when the stream drops, so nothing is printed twice or lost.
/// Exit 0 when the build succeeded, 1 otherwise.
/// </summary>
internal static class BuildWatcher
{
    private const int MaxReconnects = 10;

    public static async Task<int> WatchAsync(FerryClient client, long buildId, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        string? lastId = null;
        var drops = 0;
        while (true)
        {
            try
            {
                using var response = await client.OpenStreamAsync($"api/v1/builds/{buildId}/events", lastId, cancellationToken);
                await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
                await foreach (var e in SseReader.ReadAsync(stream, cancellationToken))
                {
                    if (e.Id is not null)
                    {
                        lastId = e.Id;
                    }
                    if (e.Event == "end")
                    {
                        return await EndAsync(JsonNode.Parse(e.Data), output);
                    }
                    await PrintAsync(e, output, error);
                }
            }
            catch (IOException) when (!cancellationToken.IsCancellationRequested)
            {
                // The connection broke mid-stream; reconnect below.
            }
            catch (HttpRequestException) when (!cancellationToken.IsCancellationRequested)
            {
                // Same, as the HTTP layer reports it.
            }
            if (++drops > MaxReconnects)
            {
                throw new ServerUnreachableException(client.BaseUrl, $"the event stream of build {buildId} broke {MaxReconnects} times");
            }
            await Task.Delay(TimeSpan.FromMilliseconds(200 * drops), cancellationToken);
        }
    }

    private static async Task PrintAsync(SseEvent e, TextWriter output, TextWriter error)
    {
        var data = JsonNode.Parse(e.Data);
        switch (e.Event)
        {
            case "log":
                await output.WriteAsync(data.Text("text"));
                break;
            case "step_started":
                var payload = data?["payload"];
                var what = string.Join(' ', new[] { payload.Text("kind"), payload.Text("name") }.Where(s => !string.IsNullOrEmpty(s)));
                if (what.Length > 0)
                {
                    await output.WriteLineAsync($"--- {what}");
                }
                break;
            case "error":
                await error.WriteLineAsync($"error: {data.Text("text")}");
                break;
            case "warning":
                await error.WriteLineAsync($"warning: {data.Text("text")}");
                break;
        }
        await output.FlushAsync();
    }

    private static async Task<int> EndAsync(JsonNode? end, TextWriter output)
    {
        var status = end.Text("status") ?? "unknown";
        var reason = end.Text("reason");
        await output.WriteLineAsync(reason is null ? status : $"{status}: {reason}");
        await output.FlushAsync();
        return status == "succeeded" ? ExitCodes.Ok : ExitCodes.Failed;
    }
}
