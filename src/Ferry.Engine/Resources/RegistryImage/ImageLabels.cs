using System.Text.Json.Nodes;
using Ferry.Core.Versions;

namespace Ferry.Engine.Resources.RegistryImage;

/// <summary>
/// The labels of an image's config (<c>org.opencontainers.image.version</c> …) as version metadata, so that what an
/// image says about itself (the package version it was built from) shows wherever its digest does: the versions list,
/// the promotion preview.
/// </summary>
internal static class ImageLabels
{
    /// <summary>An image built by a careless tool may carry many labels; metadata is for people to read.</summary>
    private const int Limit = 20;

    public static IEnumerable<MetadataField> Metadata(JsonObject config) =>
        (config["config"]?["Labels"] as JsonObject ?? [])
        .Where(l => l.Value is JsonValue v && v.TryGetValue<string>(out _))
        .OrderBy(l => l.Key, StringComparer.Ordinal)
        .Take(Limit)
        .Select(l => new MetadataField(l.Key, l.Value!.GetValue<string>()));

    /// <summary>The config of the layout's image (of an index: its first image, as their labels are the same build's).</summary>
    public static JsonObject ConfigOf(ImageLayout layout)
    {
        var image = layout.Top;
        if (OciMediaTypes.IsIndex(image.MediaType))
        {
            var index = OciMediaTypes.Parse(image.Bytes, "index");
            if (index["manifests"] is not JsonArray { Count: > 0 } entries)
                return [];
            image = layout.ReadManifest(Descriptor.Read(entries[0], "index"));
        }
        var config = ImageManifest.Read(image).Config;
        var path = layout.BlobPath(config.Digest);
        if (!File.Exists(path))
            throw ResourceException.Terminal($"registry-image put: the image has no config blob {config.Digest}");
        return OciMediaTypes.Parse(File.ReadAllBytes(path), $"config {config.Digest}");
    }
}
