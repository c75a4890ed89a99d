using System.Formats.Tar;
using System.Text;
using System.Text.Json.Nodes;

namespace Ferry.Engine.Resources.RegistryImage;

/// <summary>
/// <c>format: oci</c>'s <c>image.tar</c>: an OCI image layout (<c>oci-layout</c>, <c>index.json</c>, <c>blobs/sha256/…</c>)
/// holding the platform's image, plus the <c>manifest.json</c> that <c>docker load</c> reads (naming the same blobs), as
/// <c>docker save</c> writes since Docker 25. skopeo and podman read it as <c>oci-archive:</c>, docker as a save.
/// </summary>
internal static class OciImageTarball
{
    public static async Task WriteAsync(string path, string repository, string tag, ResolvedImage image, BlobCache cache, CancellationToken cancellation)
    {
        var parts = image.Parts;
        var reference = $"{repository}:{tag}";
        var index = new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = OciMediaTypes.Index,
            ["manifests"] = new JsonArray(new JsonObject
            {
                ["mediaType"] = image.Image.MediaType,
                ["digest"] = image.Image.Digest,
                ["size"] = image.Image.Bytes.Length,
                ["annotations"] = new JsonObject
                {
                    ["io.containerd.image.name"] = reference,
                    ["org.opencontainers.image.ref.name"] = tag,
                },
            }),
        };
        var dockerManifest = new JsonArray(new JsonObject
        {
            ["Config"] = BlobName(parts.Config.Digest),
            ["RepoTags"] = new JsonArray(reference),
            ["Layers"] = new JsonArray([.. parts.Layers.Select(l => (JsonNode)BlobName(l.Digest))]),
        });

        await using var file = File.Create(path);
        await using var tar = new TarWriter(file, TarEntryFormat.Pax, leaveOpen: true);
        await WriteAsync(tar, "oci-layout", Encoding.UTF8.GetBytes("""{"imageLayoutVersion":"1.0.0"}"""), cancellation);
        await WriteAsync(tar, "index.json", Encoding.UTF8.GetBytes(index.ToJsonString()), cancellation);
        await WriteAsync(tar, "manifest.json", Encoding.UTF8.GetBytes(dockerManifest.ToJsonString()), cancellation);
        await WriteAsync(tar, BlobName(image.Image.Digest), image.Image.Bytes, cancellation);
        var written = new HashSet<string>(StringComparer.Ordinal) { image.Image.Digest };
        foreach (var blob in parts.Layers.Prepend(parts.Config))
        {
            if (!written.Add(blob.Digest))
                continue;
            await tar.WriteEntryAsync(cache.PathOf(blob.Digest), BlobName(blob.Digest), cancellation);
        }
    }

    private static string BlobName(string digest) => "blobs/sha256/" + Digests.Hex(digest);

    private static async Task WriteAsync(TarWriter tar, string name, byte[] content, CancellationToken cancellation)
    {
        var entry = new PaxTarEntry(TarEntryType.RegularFile, name)
        {
            DataStream = new MemoryStream(content),
            Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
        };
        await tar.WriteEntryAsync(entry, cancellation);
    }
}
