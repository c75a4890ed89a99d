using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ferry.Engine.Workers;

/// <summary>
/// The worker's side of <see cref="WorkerProtocol"/>: one method per call, each a single attempt. What went wrong is
/// told apart by exception: <see cref="WorkerUnauthorizedException"/> (stop the worker),
/// <see cref="WorkerBuildGoneException"/> (the build is no longer this worker's), <see cref="WorkerRefusedException"/>
/// (any other 4xx), and anything else (connection refused, timeout, 5xx) is <see cref="WorkerServerUnavailableException"/>,
/// which callers retry.
/// </summary>
public sealed class WorkerClient : IDisposable
{
    private readonly HttpClient _http;

    /// <param name="server">The server's URL (<c>--url</c>); the calls go under <see cref="WorkerProtocol.Prefix"/>.</param>
    /// <param name="token">The worker token (<c>ferry token create --worker NAME</c>).</param>
    public WorkerClient(Uri server, string token, HttpMessageHandler? handler = null)
    {
        Server = server;
        _http = handler is null ? new HttpClient() : new HttpClient(handler);
        _http.BaseAddress = new Uri(server, WorkerProtocol.Prefix);
        // A server that stops answering is retried: a hung request must not hold a build's events for long.
        _http.Timeout = TimeSpan.FromSeconds(30);
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    public Uri Server { get; }

    public async Task<WorkerRegistered> RegisterAsync(WorkerRegistration registration, CancellationToken cancellation)
    {
        using var response = await PostAsync("register", registration, cancellation);
        return await ReadAsync<WorkerRegistered>(response, cancellation);
    }

    /// <returns>Null when the servers answer 404: they took the worker for lost, and it registers again.</returns>
    public async Task<WorkerHeartbeatReply?> HeartbeatAsync(WorkerHeartbeat heartbeat, CancellationToken cancellation)
    {
        using var response = await PostAsync("heartbeat", heartbeat, cancellation, notFoundIsAnswer: true);
        return response.StatusCode == HttpStatusCode.NotFound ? null : await ReadAsync<WorkerHeartbeatReply>(response, cancellation);
    }

    /// <returns>Null when no pending build fits the worker (204).</returns>
    public async Task<WorkerAssignment?> ClaimAsync(CancellationToken cancellation)
    {
        using var response = await PostAsync("claim", null, cancellation);
        return response.StatusCode == HttpStatusCode.NoContent ? null : await ReadAsync<WorkerAssignment>(response, cancellation);
    }

    /// <returns>How many of the build's events the server has now.</returns>
    /// <exception cref="WorkerBuildGoneException">The build is no longer this worker's (409, or 404: it is gone).</exception>
    public async Task<long> PostEventsAsync(long buildId, WorkerEvents events, CancellationToken cancellation)
    {
        using var response = await PostAsync(BuildPath(buildId, "events"), events, cancellation, buildId: buildId);
        return (await ReadAsync<WorkerEventsReply>(response, cancellation)).Stored;
    }

    /// <exception cref="WorkerBuildGoneException">
    /// 409: the server lacks some of the build's events (send them first), or the build is no longer this worker's;
    /// 404: the build is gone.
    /// </exception>
    public async Task EndAsync(long buildId, WorkerBuildEnd end, CancellationToken cancellation)
    {
        using var response = await PostAsync(BuildPath(buildId, "end"), end, cancellation, buildId: buildId);
    }

    /// <exception cref="WorkerRefusedException">422: the file is not a valid pipeline or may not be set; the message is the step's error.</exception>
    public async Task<WorkerSetPipelineReply> SetPipelineAsync(long buildId, WorkerSetPipeline request, CancellationToken cancellation)
    {
        using var response = await PostAsync(BuildPath(buildId, "set-pipeline"), request, cancellation, buildId: buildId);
        return await ReadAsync<WorkerSetPipelineReply>(response, cancellation);
    }

    private static string BuildPath(long buildId, string call) =>
        $"builds/{buildId.ToString(System.Globalization.CultureInfo.InvariantCulture)}/{call}";

    private async Task<HttpResponseMessage> PostAsync(string path, object? body, CancellationToken cancellation, bool notFoundIsAnswer = false, long? buildId = null)
    {
        HttpResponseMessage response;
        try
        {
            // Serialized first, so the request has a length (not chunked): simpler for proxies in between.
            using var content = body is null ? null : new StringContent(JsonSerializer.Serialize(body, body.GetType(), WorkerProtocol.Json), Encoding.UTF8, "application/json");
            response = await _http.PostAsync(path, content, cancellation);
        }
        catch (HttpRequestException e)
        {
            throw new WorkerServerUnavailableException($"cannot reach {Server}: {e.Message}", e);
        }
        catch (TaskCanceledException e) when (!cancellation.IsCancellationRequested)
        {
            throw new WorkerServerUnavailableException($"{Server} did not answer {path} within {_http.Timeout.TotalSeconds:0} s", e);
        }
        if (response.IsSuccessStatusCode || (notFoundIsAnswer && response.StatusCode == HttpStatusCode.NotFound))
            return response;
        using (response)
        {
            var detail = await DetailAsync(response, cancellation);
            var status = (int)response.StatusCode;
            throw status switch
            {
                401 => new WorkerUnauthorizedException($"{Server} refused the worker token (401): {detail ?? "it is unknown or was revoked"}"),
                409 or 404 when buildId is { } id => new WorkerBuildGoneException(id, status, detail),
                >= 500 or 408 or 429 => new WorkerServerUnavailableException($"{Server} answered {path} with {status}{Suffix(detail)}"),
                _ => new WorkerRefusedException(status, detail ?? $"{Server} answered {path} with {status}"),
            };
        }
    }

    private static string Suffix(string? detail) => detail is null ? "" : $": {detail}";

    /// <summary>The problem's <c>detail</c> (else its <c>title</c>), or the start of a body that is not a problem.</summary>
    private static async Task<string?> DetailAsync(HttpResponseMessage response, CancellationToken cancellation)
    {
        string text;
        try
        {
            text = await response.Content.ReadAsStringAsync(cancellation);
        }
        catch (HttpRequestException)
        {
            return null;
        }
        if (text.Length == 0)
            return null;
        try
        {
            if (JsonNode.Parse(text) is JsonObject problem)
                return (problem["detail"] ?? problem["title"])?.GetValue<string>();
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            // not a problem document: say what came
        }
        return text.Length > 200 ? text[..200] : text;
    }

    private async Task<T> ReadAsync<T>(HttpResponseMessage response, CancellationToken cancellation)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync<T>(WorkerProtocol.Json, cancellation)
                ?? throw new WorkerServerUnavailableException($"{Server} answered with an empty {typeof(T).Name}");
        }
        catch (JsonException e)
        {
            throw new WorkerServerUnavailableException($"{Server} answered with something that is not a {typeof(T).Name}: {e.Message}", e);
        }
        catch (HttpRequestException e)
        {
            throw new WorkerServerUnavailableException($"{Server} broke off its answer: {e.Message}", e);
        }
    }

    public void Dispose() => _http.Dispose();
}

/// <summary>The server cannot be reached or failed (connection refused, timeout, 5xx): try again later.</summary>
public sealed class WorkerServerUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>401: the worker token is unknown or revoked. The worker stops.</summary>
public sealed class WorkerUnauthorizedException(string message) : Exception(message);

/// <summary>409 or 404 on a build's call: the build is not (or no longer) this worker's, or the server wants its missing events first.</summary>
public sealed class WorkerBuildGoneException(long buildId, int status, string? detail)
    : Exception($"build {buildId}: the server answered {status}{(detail is null ? "" : $": {detail}")}")
{
    public long BuildId { get; } = buildId;

    public int Status { get; } = status;
}

/// <summary>Another 4xx: the server refused the call for a reason the worker cannot fix by trying again.</summary>
public sealed class WorkerRefusedException(int status, string detail) : Exception(detail)
{
    public int Status { get; } = status;
}
