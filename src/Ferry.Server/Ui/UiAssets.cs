using System.Collections.Frozen;
using System.Security.Cryptography;
using Microsoft.Net.Http.Headers;

namespace Ferry.Server.Ui;

/// <summary>
/// The UI's own CSS and JS, embedded in this assembly (Ui/Assets/), so the server serves them from wherever it runs:
/// <c>ferry server</c>, <c>dotnet run</c>, a test's bin folder. URLs carry the content hash, so browsers cache them for good.
/// </summary>
internal static class UiAssets
{
    public const string Prefix = "/ui/";

    private static readonly FrozenDictionary<string, Asset> Assets = Load();

    /// <summary>The URL of an asset with its content hash (<c>/ui/ferry.css?v=3f2a…</c>).</summary>
    public static string Path(string name) =>
        Assets.TryGetValue(name, out var asset)
            ? $"{Prefix}{name}?v={asset.Hash}"
            : throw new InvalidOperationException($"UI asset '{name}' is not embedded in {typeof(UiAssets).Assembly.GetName().Name} (Ui/Assets/)");

    public static void Map(IEndpointRouteBuilder app) =>
        app.MapMethods(Prefix + "{name}", ["GET", "HEAD"], (HttpContext http, string name) =>
        {
            if (!Assets.TryGetValue(name, out var asset))
            {
                return Results.NotFound();
            }
            // Only a URL naming the current content may be cached for good; a bare one is revalidated by its ETag.
            http.Response.Headers.CacheControl = http.Request.Query["v"] == asset.Hash ? "public, max-age=31536000, immutable" : "no-cache";
            return Results.Bytes(asset.Content, asset.ContentType, entityTag: new EntityTagHeaderValue($"\"{asset.Hash}\""));
        }).AllowAnonymous().ExcludeFromDescription();

    private static FrozenDictionary<string, Asset> Load()
    {
        const string resourcePrefix = "Ferry.Server.Ui.Assets.";
        var assembly = typeof(UiAssets).Assembly;
        var assets = new Dictionary<string, Asset>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(resourcePrefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            var content = buffer.ToArray();
            var name = resource[resourcePrefix.Length..];
            var hash = Convert.ToHexStringLower(SHA256.HashData(content))[..16];
            assets[name] = new Asset(content, ContentType(name), hash);
        }
        return assets.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static string ContentType(string name) => System.IO.Path.GetExtension(name) switch
    {
        ".css" => "text/css; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".svg" => "image/svg+xml",
        _ => "application/octet-stream",
    };

    private sealed record Asset(byte[] Content, string ContentType, string Hash);
}
