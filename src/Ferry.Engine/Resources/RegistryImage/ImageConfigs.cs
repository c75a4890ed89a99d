using System.Globalization;
using System.Text.Json.Nodes;

namespace Ferry.Engine.Resources.RegistryImage;

/// <summary>The image a digest names for this machine: the manifest itself, or the platform's entry of an index.</summary>
internal sealed record ResolvedImage(Manifest Top, Manifest Image, ImageManifest Parts);

internal static class ImageConfigs
{
    /// <summary>Reads the manifest <paramref name="digest"/> names and, for an index, the image for the source's platform.</summary>
    public static async Task<ResolvedImage> ResolveAsync(RegistryClient client, RegistryImageSource source, string digest, CancellationToken cancellation)
    {
        var top = await client.GetManifestAsync(digest, cancellation);
        var image = top;
        if (OciMediaTypes.IsIndex(top.MediaType))
        {
            var index = OciMediaTypes.Parse(top.Bytes, $"index {digest}");
            var entries = index["manifests"] is JsonArray list ? list.Select(m => Descriptor.Read(m, $"index {digest}")).ToList() : [];
            var chosen = entries.FirstOrDefault(e => e.Matches(source.Platform))
                         ?? throw ResourceException.Terminal($"registry-image: {source.Repository.Display}@{digest} has no image for {source.Platform} " +
                                                             $"(it has: {string.Join(", ", entries.Select(e => $"{e.Platform?["os"]}/{e.Platform?["architecture"]}"))}); set source.platform");
            image = await client.GetManifestAsync(chosen.Digest, cancellation);
        }
        OciMediaTypes.EnsureUnderstood(top, $"registry-image: {source.Repository.Display}");
        if (OciMediaTypes.IsIndex(image.MediaType))
            throw ResourceException.Terminal($"registry-image: {source.Repository.Display}@{image.Digest} is an index inside an index, which registry-image does not follow");
        OciMediaTypes.EnsureUnderstood(image, $"registry-image: {source.Repository.Display}");
        return new ResolvedImage(top, image, ImageManifest.Read(image));
    }

    /// <summary>The image's config (<c>{config: {Env, User, …}, created, rootfs}</c>), through the blob cache.</summary>
    public static async Task<JsonObject> ConfigAsync(RegistryClient client, BlobCache cache, ResolvedImage image, CancellationToken cancellation)
    {
        var path = await cache.GetAsync(client, image.Parts.Config.Digest, cancellation);
        return OciMediaTypes.Parse(await File.ReadAllBytesAsync(path, cancellation), $"config {image.Parts.Config.Digest}");
    }

    /// <summary>For created_at_sort: when the image was built, per its config; the earliest time when it does not say.</summary>
    public static async Task<DateTimeOffset> CreatedAsync(RegistryClient client, BlobCache cache, RegistryImageSource source, string digest, CancellationToken cancellation)
    {
        var image = await ResolveAsync(client, source, digest, cancellation);
        var config = await ConfigAsync(client, cache, image, cancellation);
        return config["created"] is JsonValue v && v.TryGetValue<string>(out var text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var created)
            ? created
            : DateTimeOffset.MinValue;
    }
}
