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
/// <c>POST /flows</c> with <c>{rev, flows}</c> deploys them all, or answers 409 when <c>rev</c> is stale;
/// <c>GET /nodes</c> lists the node sets the instance has. With <c>adminAuth</c>, each call carries
/// <c>source.token</c> or the token <see cref="NodeRedLogin"/> got for <c>source.username</c>.
/// </summary>
internal sealed class NodeRedAdmin(NodeRedSource source, NodeRedLogin? login = null)
{
    // One client for every instance: Node-RED answers quickly, and a new client per call would exhaust sockets.
    private static readonly HttpClient Http = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
    {
        Timeout = TimeSpan.FromSeconds(60),
    };

    private readonly NodeRedLogin _login = login ?? NodeRedLogin.Shared;

    public async Task<DeployedFlows> GetFlowsAsync(CancellationToken cancellation)
    {
        var (status, body) = await CallAsync(HttpMethod.Get, source.FlowsUrl, null, cancellation);
        if (status != HttpStatusCode.OK)
            throw Failure("GET", source.FlowsUrl, status, body);
        var answer = Parse(body, "GET", source.FlowsUrl) as JsonObject;
        if (answer?["flows"] is not JsonArray flows || answer["rev"] is not JsonValue rev || !rev.TryGetValue<string>(out var revText))
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
        // The snapshot's canonical text is the flows as they are: no copy of a thousand nodes to serialize again.
        var payload = $$"""{"rev":{{JsonSerializer.Serialize(rev)}},"flows":{{flows.Canonical}}}""";
        var (status, body) = await CallAsync(HttpMethod.Post, source.FlowsUrl, request =>
        {
            request.Headers.Add("Node-RED-Deployment-Type", "nodes");
            request.Content = new StringContent(payload, Encoding.UTF8, "application/json");
        }, cancellation);
        if (status == HttpStatusCode.Conflict)
            return null;
        if (status != HttpStatusCode.OK)
            throw Failure("POST", source.FlowsUrl, status, body);
        return Parse(body, "POST", source.FlowsUrl) is JsonObject answer && answer["rev"] is JsonValue v && v.TryGetValue<string>(out var newRev)
            ? newRev
            : throw ResourceException.Terminal($"node-red: POST {source.FlowsUrl} answered without the new rev");
    }

    /// <summary>The node sets the instance has (<c>GET /nodes</c>): <c>[{id, module, version, types, enabled}]</c>.</summary>
    public async Task<JsonArray> GetNodesAsync(CancellationToken cancellation)
    {
        var url = source.Endpoint("/nodes");
        var (status, body) = await CallAsync(HttpMethod.Get, url, request => request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json")),
            cancellation);
        if (status != HttpStatusCode.OK)
            throw Failure("GET", url, status, body);
        return Parse(body, "GET", url) as JsonArray
               ?? throw ResourceException.Terminal($"node-red: GET {url} answered something other than a list of node sets");
    }

    /// <summary>One call; with a login, a 401 (the kept token expired or was revoked) logs in again and calls once more.</summary>
    private async Task<(HttpStatusCode Status, string Body)> CallAsync(HttpMethod method, Uri url, Action<HttpRequestMessage>? prepare,
        CancellationToken cancellation)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var request = new HttpRequestMessage(method, url);
            request.Headers.Add("Node-RED-API-Version", "v2");
            prepare?.Invoke(request);
            var bearer = source.Username is not null ? await _login.TokenAsync(source, Http, renew: attempt > 1, cancellation) : source.Token;
            if (bearer is not null)
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
            var answer = await SendAsync(Http, request, $"{method.Method} {url}", cancellation);
            if (answer.Status != HttpStatusCode.Unauthorized || source.Username is null || attempt == 2)
                return answer;
        }
    }

    internal static async Task<(HttpStatusCode Status, string Body)> SendAsync(HttpClient http, HttpRequestMessage request, string what,
        CancellationToken cancellation)
    {
        try
        {
            using var response = await http.SendAsync(request, cancellation);
            return (response.StatusCode, await response.Content.ReadAsStringAsync(cancellation));
        }
        catch (HttpRequestException e)
        {
            throw ResourceException.Retryable($"node-red: {what} failed: {e.Message} (is the instance running at source.url?)", e);
        }
        catch (TaskCanceledException e) when (!cancellation.IsCancellationRequested)
        {
            throw ResourceException.Retryable($"node-red: {what} timed out after {http.Timeout.TotalSeconds:0} s", e);
        }
    }

    private static JsonNode? Parse(string body, string verb, Uri url)
    {
        try
        {
            return JsonNode.Parse(body);
        }
        catch (JsonException e)
        {
            throw ResourceException.Terminal($"node-red: {verb} {url} answered something other than JSON ({e.Message}); is source.url a Node-RED instance?", e);
        }
    }

    private ResourceException Failure(string verb, Uri url, HttpStatusCode status, string body)
    {
        var detail = body.Length > 300 ? body[..300] + "…" : body;
        var message = $"node-red: {verb} {url} answered {(int)status} {status}: {detail.Trim()}";
        return status switch
        {
            HttpStatusCode.Unauthorized => ResourceException.Terminal(message + " (" + Unauthorized() + ")"),
            HttpStatusCode.Forbidden => ResourceException.Terminal(message + (source.Username is null
                ? " (source.token lacks the permission)"
                : $" (source.username '{source.Username}' lacks the permission; give it permissions \"*\" in adminAuth)")),
            HttpStatusCode.NotFound => ResourceException.Terminal(message + " (is source.url the instance's admin root, with its httpAdminRoot?)"),
            >= HttpStatusCode.InternalServerError => ResourceException.Retryable(message),
            _ => ResourceException.Terminal(message),
        };
    }

    private string Unauthorized() => (source.Token, source.Username) switch
    {
        (null, null) => "the instance has adminAuth: set source.username and source.password, or source.token",
        (not null, _) => "the instance refused source.token; check it, or set source.username and source.password instead",
        _ => $"the instance refused the token it gave source.username '{source.Username}' even after logging in again",
    };
}
