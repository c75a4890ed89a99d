using System.Net;
using System.Text.Json.Nodes;
using Ferry.Tests.LocalServers;

namespace Ferry.Engine.Tests.Resources;

/// <summary>
/// Forwards the Admin API to a real Node-RED, but before forwarding a deploy (POST /flows) lets someone else deploy
/// <see cref="Racing"/> first (at most <c>races</c> times), so the forwarded deploy carries a stale rev and Node-RED
/// itself answers 409.
/// </summary>
internal sealed class RacingDeployProxy : IDisposable
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly HttpListener _listener = new();
    private readonly NodeRedInstance _instance;
    private readonly Task _serving;
    private int _racesLeft;

    public RacingDeployProxy(NodeRedInstance instance, Func<JsonArray, JsonArray> racing, int races)
    {
        _instance = instance;
        Racing = racing;
        _racesLeft = races;
        var port = LocalServerProcess.FreePort();
        Url = $"http://127.0.0.1:{port}";
        _listener.Prefixes.Add(Url + "/");
        _listener.Start();
        _serving = ServeAsync();
    }

    public string Url { get; }

    /// <summary>The other deploy: a change to the flows the instance runs at that moment.</summary>
    public Func<JsonArray, JsonArray> Racing { get; }

    public List<int> DeployAnswers { get; } = [];

    private Task ServeAsync() => ListenerLoop.ServeAsync(_listener, ForwardAsync);

    private async Task ForwardAsync(HttpListenerContext context)
    {
        var incoming = context.Request;
        using var body = new StreamReader(incoming.InputStream);
        var content = await body.ReadToEndAsync();
        var deploy = incoming.HttpMethod == "POST";
        if (deploy && _racesLeft-- > 0)
            await _instance.DeployAsync(Racing((await _instance.GetFlowsAsync()).Flows));
        using var request = new HttpRequestMessage(new HttpMethod(incoming.HttpMethod), _instance.Url + incoming.RawUrl);
        request.Headers.TryAddWithoutValidation("Node-RED-API-Version", incoming.Headers["Node-RED-API-Version"]);
        request.Headers.TryAddWithoutValidation("Accept", incoming.Headers["Accept"]);
        if (deploy)
            request.Content = new StringContent(content, System.Text.Encoding.UTF8, "application/json");
        using var response = await Http.SendAsync(request);
        if (deploy)
            DeployAnswers.Add((int)response.StatusCode);
        context.Response.StatusCode = (int)response.StatusCode;
        context.Response.ContentType = "application/json";
        var answer = await response.Content.ReadAsByteArrayAsync();
        await context.Response.OutputStream.WriteAsync(answer);
        context.Response.Close();
    }

    public void Dispose()
    {
        // Close alone (it stops too): after Stop, Close removes the prefixes again and binds the port anew to do it,
        // which fails with "Address already in use" when another process took the port meanwhile.
        _listener.Close();
        _serving.Wait(TimeSpan.FromSeconds(5));
    }
}
