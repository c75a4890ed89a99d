using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ferry.Engine.Resources.NodeRed;

/// <summary>The flows the instance runs now and the revision Node-RED gave them.</summary>
internal sealed record DeployedFlows(string Rev, JsonArray Flows);

/// <summary>
/// Node-RED's Admin API, version 2 of the flows endpoint: <c>GET /flows</c> answers <c>{rev, flows}</c>;
/// <c>POST /flows</c> with <c>{rev, flows}</c> deploys them all, or answers 409 when <c>rev</c> is stale.
/// </summary>
internal sealed class NodeRedAdmin(NodeRedSource source)
{
    // One client for every instance: Node-RED answers quickly, and a new client per call would exhaust sockets.
    private static readonly HttpClient Http = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
    {
        Timeout = TimeSpan.FromSeconds(60),
    };

    public async Task<DeployedFlows> GetFlowsAsync(CancellationToken cancellation)
    {
        using var request = Request(HttpMethod.Get);
        var (status, body) = await SendAsync(request, "GET", cancellation);
        if (status != HttpStatusCode.OK)
            throw Failure("GET", status, body);
        var answer = Parse(body, "GET");
        if (answer["flows"] is not JsonArray flows || answer["rev"] is not JsonValue rev || !rev.TryGetValue<string>(out var revText))
            throw ResourceException.Terminal($"node-red: GET {source.FlowsUrl} answered without {{rev, flows}}; is this Node-RED's Admin API (source.url)?");
        return new DeployedFlows(revText, flows);
    }

    /// <summary>
    /// Deploys <paramref name="flows"/> over revision <paramref name="rev"/>; null when that revision is stale (409).
    /// Deployment type <c>nodes</c> (the editor's "Modified Nodes"): Node-RED restarts only the nodes that changed, a
    /// whole tab or subflow whose env changed, and everything when the global config changed; never itself. It costs
    /// what <c>full</c> costs on 1,000 nodes, where <c>flows</c> (which also restarts every node wired to a change) took
    /// five times as long (bench/README.md, node-red-push).
    /// </summary>
    public async Task<string?> PostFlowsAsync(FlowSnapshot flows, string rev, CancellationToken cancellation)
    {
        using var request = Request(HttpMethod.Post);
        request.Headers.Add("Node-RED-Deployment-Type", "nodes");
        // The snapshot's canonical text is the flows as they are: no copy of a thousand nodes to serialize again.
        var payload = $$"""{"rev":{{JsonSerializer.Serialize(rev)}},"flows":{{flows.Canonical}}}""";
        request.Content = new StringContent(payload, Encoding.UTF8, "application/json");
        var (status, body) = await SendAsync(request, "POST", cancellation);
        if (status == HttpStatusCode.Conflict)
            return null;
        if (status != HttpStatusCode.OK)
            throw Failure("POST", status, body);
        return Parse(body, "POST")["rev"] is JsonValue v && v.TryGetValue<string>(out var newRev)
            ? newRev
            : throw ResourceException.Terminal($"node-red: POST {source.FlowsUrl} answered without the new rev");
    }

    private HttpRequestMessage Request(HttpMethod method)
    {
        var request = new HttpRequestMessage(method, source.FlowsUrl);
        request.Headers.Add("Node-RED-API-Version", "v2");
        if (source.Token is { } token)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }

    private async Task<(HttpStatusCode Status, string Body)> SendAsync(HttpRequestMessage request, string verb, CancellationToken cancellation)
    {
        try
        {
            using var response = await Http.SendAsync(request, cancellation);
            return (response.StatusCode, await response.Content.ReadAsStringAsync(cancellation));
        }
        catch (HttpRequestException e)
        {
            throw ResourceException.Retryable($"node-red: {verb} {source.FlowsUrl} failed: {e.Message}", e);
        }
        catch (TaskCanceledException e) when (!cancellation.IsCancellationRequested)
        {
            throw ResourceException.Retryable($"node-red: {verb} {source.FlowsUrl} timed out after {Http.Timeout.TotalSeconds:0} s", e);
        }
    }

    private JsonObject Parse(string body, string verb)
    {
        try
        {
            return JsonNode.Parse(body) as JsonObject ?? throw new JsonException("not a JSON object");
        }
        catch (JsonException e)
        {
            throw ResourceException.Terminal($"node-red: {verb} {source.FlowsUrl} answered something other than JSON ({e.Message}); is source.url a Node-RED instance?", e);
        }
    }

    private ResourceException Failure(string verb, HttpStatusCode status, string body)
    {
        var detail = body.Length > 300 ? body[..300] + "…" : body;
        var message = $"node-red: {verb} {source.FlowsUrl} answered {(int)status} {status}: {detail.Trim()}";
        return status switch
        {
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => ResourceException.Terminal(message + " (check source.token)"),
            HttpStatusCode.NotFound => ResourceException.Terminal(message + " (is source.url the instance's admin root?)"),
            >= HttpStatusCode.InternalServerError => ResourceException.Retryable(message),
            _ => ResourceException.Terminal(message),
        };
    }
}
