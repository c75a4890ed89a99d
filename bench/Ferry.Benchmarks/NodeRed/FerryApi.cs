using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Ferry.Benchmarks.Server;

namespace Ferry.Benchmarks.NodeRed;

/// <summary>The server's HTTP API, signed in as its admin (the token the first start wrote to DATA/admin-token).</summary>
internal sealed class FerryApi(ServerProcess server) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = new Uri(server.Url), Timeout = TimeSpan.FromSeconds(30) };

    public Task<JsonNode> GetAsync(string path) => SendAsync(HttpMethod.Get, path, null);

    public Task<JsonNode> PostAsync(string path, JsonObject? body = null) => SendAsync(HttpMethod.Post, path, body ?? new JsonObject());

    /// <summary>A build's stored events, read through the event stream (which ends once the build ended).</summary>
    public async Task<List<JsonObject>> EventsAsync(long buildId)
    {
        using var request = Request(HttpMethod.Get, $"builds/{buildId}/events");
        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"GET builds/{buildId}/events: {(int)response.StatusCode} {text}");
        var events = new List<JsonObject>();
        var name = "";
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal))
                name = line["event: ".Length..];
            else if (line.StartsWith("data: ", StringComparison.Ordinal) && name != "end")
                events.Add(JsonNode.Parse(line["data: ".Length..])!.AsObject());
        }
        return events;
    }

    private async Task<JsonNode> SendAsync(HttpMethod method, string path, JsonObject? body)
    {
        using var request = Request(method, path);
        if (body is not null)
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"{method} {path}: {(int)response.StatusCode} {text}\n--- server log\n{server.Log}");
        return text.Length == 0 ? new JsonObject() : JsonNode.Parse(text)!;
    }

    private HttpRequestMessage Request(HttpMethod method, string path)
    {
        var request = new HttpRequestMessage(method, "/api/v1/" + path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", server.AdminToken);
        return request;
    }

    public void Dispose() => _http.Dispose();
}
