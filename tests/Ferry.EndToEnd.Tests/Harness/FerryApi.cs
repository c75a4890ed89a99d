using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Ferry.EndToEnd.Tests.Harness;

/// <summary>Reads the server's REST API (the tests act through the CLI, and look through the API), signed in with <paramref name="token"/>.</summary>
internal sealed class FerryApi(string url, string token) : IDisposable
{
    /// <summary>Give it as a request's token to send none.</summary>
    public const string NoToken = "";

    // The token goes on each request, not as a default header: a request may send another one, or none.
    private readonly HttpClient _http = new() { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(10) };

    public async Task<JsonNode> GetAsync(string path)
    {
        using var response = await SendAsync(HttpMethod.Get, path);
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"GET {path}: {(int)response.StatusCode} {body}");
        return JsonNode.Parse(body)!;
    }

    public Task<HttpResponseMessage> PostAsync(string path, object? body = null) => SendAsync(HttpMethod.Post, path, body ?? new { });

    /// <summary>Sends a request as the user whose API token is <paramref name="token"/> (this client's user when null, no one for <see cref="NoToken"/>).</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, object? body = null, string? token = null)
    {
        using var request = new HttpRequestMessage(method, "/api/v1/" + path.TrimStart('/'));
        if (body is not null)
            request.Content = JsonContent.Create(body);
        Authorize(request, token ?? _token);
        return await _http.SendAsync(request);
    }

    private readonly string _token = token;

    private static void Authorize(HttpRequestMessage request, string token)
    {
        if (token.Length > 0)
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
    }

    /// <summary>Reads the build's live event stream (server-sent events) until a line contains <paramref name="text"/>.</summary>
    public async Task<bool> StreamShowsAsync(long buildId, string text, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        using var http = new HttpClient { BaseAddress = _http.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", _token);
        try
        {
            using var response = await http.GetAsync($"/api/v1/builds/{buildId}/events", HttpCompletionOption.ResponseHeadersRead, cancel.Token);
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancel.Token));
            while (await reader.ReadLineAsync(cancel.Token) is { } line)
            {
                if (line.Contains(text, StringComparison.Ordinal))
                    return true;
            }
        }
        catch (OperationCanceledException)
        {
            // timed out without seeing it
        }
        return false;
    }

    /// <summary>The job's builds, newest first.</summary>
    public async Task<List<JsonNode>> BuildsAsync(string pipeline, string job) =>
        (await GetAsync($"pipelines/{pipeline}/jobs/{job}/builds?limit=100"))["items"]!.AsArray().Select(b => b!).ToList();

    /// <summary>The commit (<c>ref</c>) a build got for an input.</summary>
    public async Task<string?> InputRefAsync(long buildId, string input)
    {
        var detail = await GetAsync($"builds/{buildId}");
        return detail["inputs"]!.AsArray().FirstOrDefault(i => (string?)i!["name"] == input)?["version"]?["ref"]?.GetValue<string>();
    }

    /// <summary>
    /// Waits until the server's <paramref name="loop"/> (checker, scheduler, promoter …) has finished a whole pass that
    /// began after this call, so that a pass has seen whatever the caller changed or observed before calling. The
    /// pass under way at the call may have read the store before that, so two more finished passes are needed.
    /// </summary>
    public async Task PassAfterNowAsync(FerryServer server, string loop)
    {
        var before = await PassesAsync(loop);
        await EventuallyAsync(async () => await PassesAsync(loop) >= before + 2, $"a whole pass of the {loop} after pass {before}", server);
    }

    private async Task<long> PassesAsync(string loop) =>
        (long?)(await GetAsync("info"))["loops"]!.AsArray().FirstOrDefault(l => (string?)l!["name"] == loop)?["passes"] ?? 0;

    /// <summary>Waits until <paramref name="condition"/> holds, polling; fails with <paramref name="what"/> and the server log.</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, string what, FerryServer server, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
                return;
            await Task.Delay(200);
        }
        throw new TimeoutException($"timed out waiting for {what}\n--- server log\n{server.Log}");
    }

    /// <summary>Waits for a build of the job that used <paramref name="commit"/> for <paramref name="input"/> to end; returns its status.</summary>
    public async Task<string> FinishedBuildForAsync(FerryServer server, string pipeline, string job, string input, string commit)
    {
        string? status = null;
        await EventuallyAsync(async () =>
        {
            foreach (var build in await BuildsAsync(pipeline, job))
            {
                var state = (string)build["status"]!;
                if (state is "pending" or "started")
                    continue;
                if (await InputRefAsync((long)build["id"]!, input) == commit)
                {
                    status = state;
                    return true;
                }
            }
            return false;
        }, $"a finished build of {pipeline}/{job} with {input}@{commit[..7]}", server);
        return status!;
    }

    public void Dispose() => _http.Dispose();
}
