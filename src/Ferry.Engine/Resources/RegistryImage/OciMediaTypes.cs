using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ferry.Engine.Resources.RegistryImage;

/// <summary>The media types of OCI and Docker v2 images, and reading the parts of a manifest or index Ferry needs.</summary>
internal static class OciMediaTypes
{
    public const string Manifest = "application/vnd.oci.image.manifest.v1+json";
    public const string Index = "application/vnd.oci.image.index.v1+json";
    public const string Config = "application/vnd.oci.image.config.v1+json";
    public const string Layer = "application/vnd.oci.image.layer.v1.tar";
    public const string LayerGzip = "application/vnd.oci.image.layer.v1.tar+gzip";
    public const string DockerManifest = "application/vnd.docker.distribution.manifest.v2+json";
    public const string DockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json";
    public const string DockerConfig = "application/vnd.docker.container.image.v1+json";

    private const string Understood = "it reads OCI image manifests and indexes, Docker v2 manifests and manifest lists";

    public static bool IsIndex(string mediaType) => mediaType is Index or DockerManifestList;

    public static bool IsImage(string mediaType) => mediaType is Manifest or DockerManifest;

    /// <summary>
    /// Refuses, naming the type, a manifest this type cannot read or push (Docker's schema 1, an OCI artifact such as a
    /// Helm chart or a signature): reading it as an image would fail later and darker, or unpack what is not a rootfs.
    /// </summary>
    public static void EnsureUnderstood(Manifest manifest, string what)
    {
        if (IsIndex(manifest.MediaType))
            return;
        if (!IsImage(manifest.MediaType))
            throw ResourceException.Terminal($"{what}: {manifest.Digest} is a manifest of type '{manifest.MediaType}', which registry-image does not understand ({Understood})");
        var config = Parse(manifest.Bytes, $"manifest {manifest.Digest}")["config"] as JsonObject;
        if (config?["mediaType"] is JsonValue v && v.TryGetValue<string>(out var configType) && configType is not (Config or DockerConfig))
            throw ResourceException.Terminal($"{what}: {manifest.Digest} is an artifact of type '{configType}', not a container image ({Understood} whose config is an image config)");
    }

    /// <summary>A manifest served without a useful Content-Type: its own <c>mediaType</c>, else an index if it lists manifests.</summary>
    public static string Sniff(byte[] bytes)
    {
        var json = Parse(bytes, "manifest");
        if (json["mediaType"] is JsonValue v && v.TryGetValue<string>(out var declared))
            return declared;
        return json["manifests"] is JsonArray ? Index : Manifest;
    }

    public static JsonObject Parse(byte[] bytes, string what)
    {
        try
        {
            return JsonNode.Parse(bytes) as JsonObject ?? throw new JsonException("not a JSON object");
        }
        catch (JsonException e)
        {
            throw ResourceException.Terminal($"registry-image: the {what} is not valid JSON: {e.Message}", e);
        }
    }
}

/// <summary>A content descriptor: what a manifest or index points at.</summary>
internal sealed record Descriptor(string MediaType, string Digest, long Size, JsonObject? Platform = null)
{
    public static Descriptor Read(JsonNode? node, string what)
    {
        if (node is not JsonObject o || o["digest"] is not JsonValue d || !d.TryGetValue<string>(out var digest))
            throw ResourceException.Terminal($"registry-image: {what} has a descriptor without a digest");
        Digests.Hex(digest);
        var mediaType = o["mediaType"] is JsonValue m && m.TryGetValue<string>(out var type) ? type : "";
        var size = o["size"] is JsonValue s && s.TryGetValue<long>(out var n) ? n : -1;
        return new Descriptor(mediaType, digest, size, o["platform"] as JsonObject);
    }

    public bool Matches(ImagePlatform platform) =>
        Platform?["os"]?.GetValue<string>() == platform.Os && Platform?["architecture"]?.GetValue<string>() == platform.Architecture;
}

/// <summary>An image manifest's config and layers.</summary>
internal sealed record ImageManifest(Descriptor Config, IReadOnlyList<Descriptor> Layers)
{
    public static ImageManifest Read(Manifest manifest)
    {
        var json = OciMediaTypes.Parse(manifest.Bytes, $"manifest {manifest.Digest}");
        var config = Descriptor.Read(json["config"], $"manifest {manifest.Digest}");
        var layers = json["layers"] is JsonArray list ? list.Select(l => Descriptor.Read(l, $"manifest {manifest.Digest}")).ToList() : [];
        return new ImageManifest(config, layers);
    }
}
