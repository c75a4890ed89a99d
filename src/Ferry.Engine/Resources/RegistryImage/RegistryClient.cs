using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;

namespace Ferry.Engine.Resources.RegistryImage;

/// <summary>A manifest as the registry serves it: the exact bytes (their sha256 is the digest) and its media type.</summary>
internal sealed record Manifest(byte[] Bytes, string MediaType, string Digest);

/// <summary>
/// The registry HTTP API v2 for one repository (the OCI distribution spec): manifests, tags, blobs and uploads. Answers a
/// 401 challenge once per scope (<see cref="RegistryAuth"/>) and keeps the credential for later calls. Every failure is
/// a <see cref="ResourceException"/> quoting the registry.
/// </summary>
internal sealed class RegistryClient(RegistryImageSource source, bool push)
{
    public static readonly string[] ManifestTypes =
    [
        OciMediaTypes.Manifest, OciMediaTypes.Index, OciMediaTypes.DockerManifest, OciMediaTypes.DockerManifestList,
    ];

    private readonly HttpClient _http = RegistryHttp.For(source);
    private AuthenticationHeaderValue? _authorization;

    private ImageRepository Repository => source.Repository;

    private string Scope => $"repository:{Repository.Path}:{(push ? "pull,push" : "pull")}";

    /// <summary>The digest a tag or digest names now, or null when the registry has no such manifest (the repository exists).</summary>
    public async Task<string?> HeadManifestAsync(string reference, CancellationToken cancellation)
    {
        using var response = await SendAsync(() => Request(HttpMethod.Head, $"manifests/{reference}", accept: true), cancellation);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            // A HEAD has no body to say whether the tag or the whole repository is missing: ask with a GET.
            return (await TryGetManifestAsync(reference, cancellation))?.Digest;
        }
        await EnsureAsync(response, $"HEAD manifest {reference}", cancellation);
        if (response.Headers.TryGetValues("Docker-Content-Digest", out var digests) && digests.FirstOrDefault() is { Length: > 0 } digest)
            return digest;
        return (await GetManifestAsync(reference, cancellation)).Digest;
    }

    /// <summary>Whether the repository has this manifest; false also when the repository does not exist yet (a first push).</summary>
    public async Task<bool> ManifestExistsAsync(string reference, CancellationToken cancellation)
    {
        using var response = await SendAsync(() => Request(HttpMethod.Head, $"manifests/{reference}", accept: true), cancellation);
        if (response.StatusCode == HttpStatusCode.NotFound)
            return false;
        await EnsureAsync(response, $"HEAD manifest {reference}", cancellation);
        return true;
    }

    public async Task<Manifest> GetManifestAsync(string reference, CancellationToken cancellation) =>
        await TryGetManifestAsync(reference, cancellation)
        ?? throw ResourceException.Terminal($"registry-image: {Repository.Display}: MANIFEST_UNKNOWN: no manifest {reference}");

    /// <summary>Null when the manifest is unknown; an unknown repository (NAME_UNKNOWN) throws with the registry's words.</summary>
    public async Task<Manifest?> TryGetManifestAsync(string reference, CancellationToken cancellation)
    {
        using var response = await SendAsync(() => Request(HttpMethod.Get, $"manifests/{reference}", accept: true), cancellation);
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellation);
        if (response.StatusCode == HttpStatusCode.NotFound && RegistryErrors.Parse(System.Text.Encoding.UTF8.GetString(bytes)).Code is "MANIFEST_UNKNOWN" or null)
            return null;
        if (!response.IsSuccessStatusCode)
            throw RegistryErrors.From($"registry-image: {Repository.Display}: GET manifest {reference}", response.StatusCode, System.Text.Encoding.UTF8.GetString(bytes));
        var digest = Digests.Of(bytes);
        if (reference.Contains(':', StringComparison.Ordinal) && reference != digest)
            throw ResourceException.Retryable($"registry-image: {Repository.Display}: manifest {reference} arrived with digest {digest}: corrupted on the way?");
        var mediaType = response.Content.Headers.ContentType?.MediaType is { Length: > 0 } header && header != "application/json"
            ? header
            : OciMediaTypes.Sniff(bytes);
        return new Manifest(bytes, mediaType, digest);
    }

    /// <summary>Every tag of the repository, following the registry's pages (<c>Link: &lt;…&gt;; rel="next"</c>).</summary>
    public async Task<IReadOnlyList<string>> ListTagsAsync(CancellationToken cancellation)
    {
        var tags = new List<string>();
        var next = "tags/list?n=1000";
        while (next is not null)
        {
            var path = next;
            using var response = await SendAsync(() => Request(HttpMethod.Get, path), cancellation);
            var body = await response.Content.ReadAsStringAsync(cancellation);
            if (!response.IsSuccessStatusCode)
                throw RegistryErrors.From($"registry-image: {Repository.Display}: list tags", response.StatusCode, body);
            if (System.Text.Json.Nodes.JsonNode.Parse(body)?["tags"] is System.Text.Json.Nodes.JsonArray page)
                tags.AddRange(page.Select(t => t?.GetValue<string>()).OfType<string>());
            next = NextPage(response);
        }
        return tags;
    }

    /// <summary>
    /// Throws the registry's own error (<c>NAME_UNKNOWN</c>) when the repository does not exist: a missing manifest
    /// alone does not tell a missing tag from a mistyped repository.
    /// </summary>
    public async Task EnsureRepositoryAsync(CancellationToken cancellation)
    {
        using var response = await SendAsync(() => Request(HttpMethod.Get, "tags/list?n=1"), cancellation);
        await EnsureAsync(response, "list tags", cancellation);
    }

    /// <summary>The tags, or none when the repository does not exist yet.</summary>
    public async Task<IReadOnlyList<string>> TryListTagsAsync(CancellationToken cancellation)
    {
        try
        {
            return await ListTagsAsync(cancellation);
        }
        catch (ResourceException e) when (e.Message.Contains("NAME_UNKNOWN", StringComparison.Ordinal))
        {
            return [];
        }
    }

    public async Task<bool> BlobExistsAsync(string digest, CancellationToken cancellation)
    {
        using var response = await SendAsync(() => Request(HttpMethod.Head, $"blobs/{digest}"), cancellation);
        if (response.StatusCode == HttpStatusCode.NotFound)
            return false;
        await EnsureAsync(response, $"HEAD blob {digest}", cancellation);
        return true;
    }

    /// <summary>Downloads a blob to <paramref name="file"/>, checking its digest (a mismatch is retryable: the transfer broke).</summary>
    public async Task DownloadBlobAsync(string digest, string file, CancellationToken cancellation)
    {
        using var response = await SendAsync(() => Request(HttpMethod.Get, $"blobs/{digest}"), cancellation);
        await EnsureAsync(response, $"GET blob {digest}", cancellation);
        await using var target = File.Create(file);
        await using var body = await response.Content.ReadAsStreamAsync(cancellation);
        var actual = await Digests.CopyAsync(body, target, cancellation);
        if (actual != digest)
        {
            target.Close();
            File.Delete(file);
            throw ResourceException.Retryable($"registry-image: {Repository.Display}: blob {digest} arrived with digest {actual}");
        }
    }

    /// <summary>A monolithic upload: POST for a session, then PUT the whole blob with its digest.</summary>
    public async Task UploadBlobAsync(string digest, string file, CancellationToken cancellation)
    {
        Uri location;
        using (var start = await SendAsync(() => Request(HttpMethod.Post, "blobs/uploads/"), cancellation))
        {
            await EnsureAsync(start, "start blob upload", cancellation);
            location = start.Headers.Location is { } l
                ? (l.IsAbsoluteUri ? l : new Uri(Repository.ApiRoot, l))
                : throw ResourceException.Terminal($"registry-image: {Repository.Display}: the registry started an upload without a Location");
        }
        var target = new UriBuilder(location)
        {
            Query = (string.IsNullOrEmpty(location.Query) ? "" : location.Query.TrimStart('?') + "&") + "digest=" + Uri.EscapeDataString(digest),
        };
        using var put = await SendAsync(() =>
        {
            var request = new HttpRequestMessage(HttpMethod.Put, target.Uri) { Content = new StreamContent(File.OpenRead(file)) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            return Authorize(request);
        }, cancellation);
        await EnsureAsync(put, $"upload blob {digest}", cancellation);
    }

    public async Task PutManifestAsync(string reference, Manifest manifest, CancellationToken cancellation)
    {
        using var response = await SendAsync(() =>
        {
            var request = Request(HttpMethod.Put, $"manifests/{reference}");
            request.Content = new ByteArrayContent(manifest.Bytes);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(manifest.MediaType);
            return request;
        }, cancellation);
        await EnsureAsync(response, $"PUT manifest {reference}", cancellation);
    }

    private HttpRequestMessage Request(HttpMethod method, string path, bool accept = false)
    {
        var request = new HttpRequestMessage(method, new Uri(Repository.ApiRoot, $"{Repository.Path}/{path}"));
        if (accept)
        {
            foreach (var type in ManifestTypes)
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
        }
        return Authorize(request);
    }

    private HttpRequestMessage Authorize(HttpRequestMessage request)
    {
        request.Headers.Authorization = _authorization;
        return request;
    }

    /// <summary>Sends, and on a 401 answers the challenge once and sends again.</summary>
    private async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> make, CancellationToken cancellation)
    {
        var response = await TrySendAsync(make, cancellation);
        if (response.StatusCode != HttpStatusCode.Unauthorized || _authorization?.Scheme == "Basic" && response.Headers.WwwAuthenticate.All(c => c.Scheme == "Basic"))
            return response;
        var challenge = response.Headers.WwwAuthenticate.FirstOrDefault(c => c.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
                        ?? response.Headers.WwwAuthenticate.FirstOrDefault();
        response.Dispose();
        _authorization = await RegistryAuth.AnswerAsync(_http, challenge, source, Scope, cancellation);
        return await TrySendAsync(make, cancellation);
    }

    private async Task<HttpResponseMessage> TrySendAsync(Func<HttpRequestMessage> make, CancellationToken cancellation)
    {
        using var request = make();
        try
        {
            return await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellation);
        }
        catch (HttpRequestException e)
        {
            throw ResourceException.Retryable($"registry-image: {Repository.Display}: {request.Method} {request.RequestUri} failed: {e.Message}" +
                                              (Repository.PlainHttp ? "" : " (a registry that speaks plain HTTP needs source.insecure: true)"), e);
        }
    }

    private async Task EnsureAsync(HttpResponseMessage response, string what, CancellationToken cancellation)
    {
        if (response.IsSuccessStatusCode)
            return;
        var body = response.RequestMessage?.Method == HttpMethod.Head ? "" : await response.Content.ReadAsStringAsync(cancellation);
        throw RegistryErrors.From($"registry-image: {Repository.Display}: {what}", response.StatusCode, body);
    }

    private string? NextPage(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Link", out var links))
            return null;
        foreach (var link in links)
        {
            var start = link.IndexOf('<', StringComparison.Ordinal);
            var end = link.IndexOf('>', StringComparison.Ordinal);
            if (start < 0 || end < start || !link.Contains("rel=\"next\"", StringComparison.Ordinal))
                continue;
            var target = new Uri(Repository.ApiRoot, link[(start + 1)..end]);
            var prefix = new Uri(Repository.ApiRoot, Repository.Path + "/").AbsolutePath;
            return target.AbsolutePath.StartsWith(prefix, StringComparison.Ordinal) ? target.AbsolutePath[prefix.Length..] + target.Query : null;
        }
        return null;
    }
}

/// <summary>sha256 digests as the registry writes them: <c>sha256:&lt;64 hex&gt;</c>.</summary>
internal static class Digests
{
    public static string Of(byte[] bytes) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));

    public static async Task<string> OfFileAsync(string file, CancellationToken cancellation)
    {
        await using var stream = File.OpenRead(file);
        return "sha256:" + Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellation));
    }

    /// <summary>Copies and hashes in one pass.</summary>
    public static async Task<string> CopyAsync(Stream from, Stream to, CancellationToken cancellation)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[81920];
        int read;
        while ((read = await from.ReadAsync(buffer, cancellation)) > 0)
        {
            hash.AppendData(buffer, 0, read);
            await to.WriteAsync(buffer.AsMemory(0, read), cancellation);
        }
        return "sha256:" + Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>The hex part, checked: a digest comes from a registry or an image file and becomes a file name.</summary>
    public static string Hex(string digest) =>
        digest.StartsWith("sha256:", StringComparison.Ordinal) && digest.Length == 71 && digest[7..].All(char.IsAsciiHexDigitLower)
            ? digest[7..]
            : throw ResourceException.Terminal($"registry-image: '{digest}' is not a sha256 digest");
}
