using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ferry.Engine.Resources.Npm;

/// <summary>
/// The registry's HTTP API as the npm CLI speaks it: the packument (<c>GET {registry}/{name}</c>), tarballs, publishing
/// (<c>PUT {registry}/{name}</c>) and dist-tags (<c>PUT {registry}/-/package/{name}/dist-tags/{tag}</c>). The token
/// goes as <c>Authorization: Bearer</c> to the registry's own host only, never to a tarball host elsewhere.
/// </summary>
internal sealed class NpmRegistryClient(NpmSource source)
{
    // Pooled: a client per call would exhaust sockets. No overall timeout (a tarball may be large; the step's or the
    // check's timeout bounds it), but connecting is bounded.
    private static readonly HttpClient Http = new(new SocketsHttpHandler
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        ConnectTimeout = TimeSpan.FromSeconds(30),
        AllowAutoRedirect = true,
    })
    { Timeout = Timeout.InfiniteTimeSpan };

    private Uri PackageUrl => new(source.Registry, source.Package.Encoded);

    /// <summary>The full packument (with <c>time</c>, which the abbreviated install form lacks).</summary>
    public async Task<NpmPackument> GetPackumentAsync(CancellationToken cancellation) =>
        await FindPackumentAsync(cancellation) ?? throw ResourceException.Retryable($"reading {source.Display}: package {source.Package} not found (not published yet?)");

    /// <summary>The packument, or null when the registry has no such package (yet).</summary>
    public async Task<NpmPackument?> FindPackumentAsync(CancellationToken cancellation)
    {
        var what = $"reading {source.Display}";
        using var request = Request(HttpMethod.Get, PackageUrl);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await SendAsync(request, what, cancellation);
        var body = await response.Content.ReadAsStringAsync(cancellation);
        if (response.StatusCode == HttpStatusCode.NotFound)
            return null;
        if (!response.IsSuccessStatusCode)
            throw NpmErrors.From(what, response.StatusCode, body);
        try
        {
            return new NpmPackument(source.Package, JsonNode.Parse(body) as JsonObject ?? throw new JsonException("not a JSON object"));
        }
        catch (JsonException e)
        {
            throw ResourceException.Retryable($"{what}: the registry's answer is not a packument: {e.Message}");
        }
    }

    /// <summary>Streams a tarball into <paramref name="destination"/>.</summary>
    public async Task DownloadAsync(Uri tarball, Stream destination, string what, CancellationToken cancellation)
    {
        using var request = Request(HttpMethod.Get, tarball);
        using var response = await SendAsync(request, what, cancellation, HttpCompletionOption.ResponseHeadersRead);
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync(cancellation);
            throw response.StatusCode == HttpStatusCode.NotFound
                ? ResourceException.Terminal($"{what}: the registry has no tarball at {tarball} (404)")
                : NpmErrors.From(what, response.StatusCode, body);
        }
        await using var content = await response.Content.ReadAsStreamAsync(cancellation);
        await content.CopyToAsync(destination, cancellation);
    }

    /// <summary>One <c>PUT</c> of a packument carrying the new version, its tarball and its dist-tag: all or nothing.</summary>
    public async Task PublishAsync(JsonObject document, string what, CancellationToken cancellation)
    {
        using var request = Request(HttpMethod.Put, PackageUrl);
        request.Content = new StringContent(document.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await SendAsync(request, what, cancellation);
        if (!response.IsSuccessStatusCode)
            throw NpmErrors.From(what, response.StatusCode, await response.Content.ReadAsStringAsync(cancellation));
    }

    public async Task SetDistTagAsync(string tag, string version, string what, CancellationToken cancellation)
    {
        using var request = Request(HttpMethod.Put, new Uri(source.Registry, $"-/package/{source.Package.Encoded}/dist-tags/{Uri.EscapeDataString(tag)}"));
        request.Content = new StringContent(JsonSerializer.Serialize(version), Encoding.UTF8, "application/json");
        using var response = await SendAsync(request, what, cancellation);
        if (!response.IsSuccessStatusCode)
            throw NpmErrors.From(what, response.StatusCode, await response.Content.ReadAsStringAsync(cancellation));
    }

    private HttpRequestMessage Request(HttpMethod method, Uri url)
    {
        var request = new HttpRequestMessage(method, url);
        if (source.Token is { } token && SameOrigin(url, source.Registry))
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, string what, CancellationToken cancellation,
        HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead)
    {
        try
        {
            return await Http.SendAsync(request, completion, cancellation);
        }
        catch (HttpRequestException e)
        {
            throw ResourceException.Retryable($"{what}: cannot reach the registry {request.RequestUri!.GetLeftPart(UriPartial.Authority)}: {e.Message}", e);
        }
    }

    private static bool SameOrigin(Uri a, Uri b) =>
        a.Scheme == b.Scheme && string.Equals(a.Host, b.Host, StringComparison.OrdinalIgnoreCase) && a.Port == b.Port;
}
