using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Ferry.Benchmarks.Server;

namespace Ferry.Benchmarks.Nodes;

/// <summary>One server node's HTTP API, signed in as the admin every node shares (one store, one owner).</summary>
internal sealed class NodeApi : IDisposable
{
    private readonly HttpClient _http;
    private readonly ServerProcess _server;

    public NodeApi(ServerProcess server, string name)
    {
        _server = server;
        Name = name;
        _http = new HttpClient { BaseAddress = new Uri(server.Url), Timeout = TimeSpan.FromSeconds(60) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", server.AdminToken);
    }

    /// <summary>The name this run gave the node (<c>--node-name</c>).</summary>
    public string Name { get; }

    public ServerProcess Server => _server;

    public async Task<JsonNode> GetAsync(string path)
    {
        using var response = await _http.GetAsync("/api/v1/" + path);
        return await ReadAsync(response, "GET", path);
    }

    public async Task<JsonNode> PutAsync(string path, JsonObject body)
    {
        using var content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await _http.PutAsync("/api/v1/" + path, content);
        return await ReadAsync(response, "PUT", path);
    }

    /// <summary>Triggers a job; the time is taken just before the request is sent and when its answer was read.</summary>
    public async Task<Triggered> TriggerAsync(int index, string pipeline, string job)
    {
        var sent = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        try
        {
            using var response = await _http.PostAsync($"/api/v1/pipelines/{pipeline}/jobs/{job}/builds", null);
            var text = await response.Content.ReadAsStringAsync();
            var answered = clock.Elapsed.TotalMilliseconds;
            if (!response.IsSuccessStatusCode)
                return new Triggered(index, Name, pipeline, sent, answered, null, $"{(int)response.StatusCode} {text}");
            return new Triggered(index, Name, pipeline, sent, answered, JsonNode.Parse(text)!["id"]!.GetValue<long>(), null);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return new Triggered(index, Name, pipeline, sent, clock.Elapsed.TotalMilliseconds, null, $"{e.GetType().Name}: {e.Message}");
        }
    }

    /// <summary>Every build the store has, newest first, read page by page (500 a page).</summary>
    public async Task<List<JsonNode>> AllBuildsAsync()
    {
        var builds = new List<JsonNode>();
        var query = "builds?limit=500";
        while (true)
        {
            var page = await GetAsync(query);
            builds.AddRange(page["items"]!.AsArray().Select(b => b!));
            if (page["nextBefore"] is not { } next)
                return builds;
            query = $"builds?limit=500&before={next}";
        }
    }

    private async Task<JsonNode> ReadAsync(HttpResponseMessage response, string method, string path)
    {
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"{method} {path} on node {Name}: {(int)response.StatusCode} {text}\n--- the node's log, last lines\n{LogTail()}");
        return text.Length == 0 ? new JsonObject() : JsonNode.Parse(text)!;
    }

    public string LogTail(int lines = 40) => string.Join('\n', _server.Log.Split('\n').TakeLast(lines));

    public void Dispose() => _http.Dispose();
}

/// <summary>One trigger request: which node took it, when it was sent, how long its answer took, and the build it made (or why not).</summary>
internal sealed record Triggered(int Index, string Node, string Pipeline, DateTimeOffset SentAt, double AnsweredMs, long? BuildId, string? Error);
