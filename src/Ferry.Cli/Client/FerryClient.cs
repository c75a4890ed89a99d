using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace Ferry.Cli.Client;

/// <summary>A small client of Ferry's REST API: JSON in and out, problems as <see cref="ApiProblemException"/>.</summary>
internal sealed class FerryClient : IDisposable
{
    public const string DefaultUrl = "http://127.0.0.1:8080";
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(60);
    private readonly HttpClient _http;

    public FerryClient(Uri baseUrl, string? token)
    {
        BaseUrl = baseUrl;
        _http = new HttpClient(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(10) })
        {
            BaseAddress = baseUrl,
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("ferry-cli", "1"));
        if (!string.IsNullOrEmpty(token))
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
    }

    public Uri BaseUrl { get; }

    /// <summary>Reads <c>--url</c>, else FERRY_URL, else the default; a URL that is not http(s) is a usage error.</summary>
    public static Uri ParseUrl(string? text)
    {
        var value = string.IsNullOrWhiteSpace(text) ? DefaultUrl : text.Trim();
        if (!Uri.TryCreate(value, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            throw new UsageException($"--url '{value}' is not an http:// or https:// URL");
        }
        return new Uri(url.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/");
    }

    public Task<JsonNode?> GetAsync(string path, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, path, null, cancellationToken);

    public async Task<JsonNode?> SendAsync(HttpMethod method, string path, JsonNode? body, CancellationToken cancellationToken)
    {
        var text = await SendForTextAsync(method, path, body, cancellationToken);
        return text.Length == 0 ? null : JsonNode.Parse(text);
    }

    /// <summary>The raw JSON text of the answer, for <c>--json</c>.</summary>
    public async Task<string> SendForTextAsync(HttpMethod method, string path, JsonNode? body, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(RequestTimeout);
        using var request = new HttpRequestMessage(method, Relative(path));
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }
        using var response = await SendRawAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(CancellationToken.None);
        if (!response.IsSuccessStatusCode)
        {
            throw ApiProblemException.From((int)response.StatusCode, response.ReasonPhrase, text);
        }
        return text;
    }

    /// <summary>Opens a server-sent event stream; the caller reads and disposes the response.</summary>
    public async Task<HttpResponseMessage> OpenStreamAsync(string path, string? lastEventId, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Relative(path));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }
        var response = await SendRawAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            using (response)
            {
                var text = await response.Content.ReadAsStringAsync(CancellationToken.None);
                throw ApiProblemException.From((int)response.StatusCode, response.ReasonPhrase, text);
            }
        }
        return response;
    }

    private async Task<HttpResponseMessage> SendRawAsync(
        HttpRequestMessage request, HttpCompletionOption completion, CancellationToken timeoutToken, CancellationToken userToken)
    {
        try
        {
            return await _http.SendAsync(request, completion, timeoutToken);
        }
        catch (HttpRequestException e) when (e.StatusCode is null)
        {
            throw new ServerUnreachableException(BaseUrl, Reason(e), e);
        }
        catch (OperationCanceledException e) when (!userToken.IsCancellationRequested)
        {
            throw new ServerUnreachableException(BaseUrl, $"no answer within {RequestTimeout.TotalSeconds:0} s", e);
        }
    }

    private static string Reason(HttpRequestException e) => e.InnerException switch
    {
        SocketException { SocketErrorCode: SocketError.ConnectionRefused } => "connection refused",
        SocketException s => s.Message,
        _ when e.HttpRequestError == HttpRequestError.NameResolutionError => "unknown host",
        _ => e.Message,
    };

    private static string Relative(string path) => path.TrimStart('/');

    public static string Escape(string segment) => Uri.EscapeDataString(segment);

    public void Dispose() => _http.Dispose();
}
