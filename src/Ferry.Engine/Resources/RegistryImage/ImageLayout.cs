using System.Formats.Tar;
using System.Text.Json.Nodes;

namespace Ferry.Engine.Resources.RegistryImage;

/// <summary>
/// An image to push, as an OCI image layout directory: its one top manifest (an image, or an index of images) and its
/// blobs by digest. Read from a layout directory, from a tarball of one (<c>oci-archive</c>, what oci-build-task and
/// <c>docker save</c> since Docker 25 write), or from a classic <c>docker save</c> tarball (<c>manifest.json</c>), whose
/// config and layers become an OCI manifest.
/// </summary>
internal sealed class ImageLayout
{
    private readonly string _root;

    private ImageLayout(string root, Manifest top)
    {
        _root = root;
        Top = top;
    }

    public Manifest Top { get; }

    public string BlobPath(string digest) => BlobPath(_root, digest);

    public Manifest ReadManifest(Descriptor descriptor) => ReadManifest(_root, descriptor);

    private static string BlobPath(string root, string digest) => Path.Combine(root, "blobs", "sha256", Digests.Hex(digest));

    private static Manifest ReadManifest(string root, Descriptor descriptor)
    {
        var path = BlobPath(root, descriptor.Digest);
        if (!File.Exists(path))
            throw ResourceException.Terminal($"registry-image put: the image has no blob {descriptor.Digest} (blobs/sha256/{Digests.Hex(descriptor.Digest)})");
        var bytes = File.ReadAllBytes(path);
        return new Manifest(bytes, descriptor.MediaType.Length > 0 ? descriptor.MediaType : OciMediaTypes.Sniff(bytes), Digests.Of(bytes));
    }

    /// <param name="image">A layout directory or a tarball (the resolved <c>params.image</c>).</param>
    /// <param name="scratch">An empty directory a tarball is unpacked into.</param>
    public static async Task<ImageLayout> OpenAsync(string image, string scratch, string shown, CancellationToken cancellation)
    {
        var root = image;
        if (!Directory.Exists(image))
        {
            try
            {
                await TarFile.ExtractToDirectoryAsync(image, scratch, overwriteFiles: true, cancellation);
            }
            catch (Exception e) when (e is InvalidDataException or IOException or FormatException)
            {
                throw ResourceException.Terminal($"registry-image put: params.image '{shown}' is neither a directory nor a tar archive: {e.Message}", e);
            }
            root = scratch;
        }
        if (File.Exists(Path.Combine(root, "index.json")))
            return FromLayout(root, shown);
        if (File.Exists(Path.Combine(root, "manifest.json")))
            return await FromDockerSaveAsync(root, shown, cancellation);
        throw ResourceException.Terminal($"registry-image put: params.image '{shown}' is not an OCI image layout (no index.json) nor a docker save tarball (no manifest.json)");
    }

    private static ImageLayout FromLayout(string root, string shown)
    {
        var index = OciMediaTypes.Parse(File.ReadAllBytes(Path.Combine(root, "index.json")), $"index.json of '{shown}'");
        var entries = index["manifests"] is JsonArray list ? list.Select(m => Descriptor.Read(m, $"index.json of '{shown}'")).ToList() : [];
        if (entries.Count != 1)
            throw ResourceException.Terminal($"registry-image put: '{shown}' holds {entries.Count} images; push one (an image or one multi-platform index)");
        var top = ReadManifest(root, entries[0]);
        OciMediaTypes.EnsureUnderstood(top, $"registry-image put: '{shown}'");
        return new ImageLayout(root, top);
    }

    // docker save: [{Config: "<file>", RepoTags: [...], Layers: ["<file>", ...]}]; layers are tars as they are.
    private static async Task<ImageLayout> FromDockerSaveAsync(string root, string shown, CancellationToken cancellation)
    {
        var saved = JsonNode.Parse(await File.ReadAllBytesAsync(Path.Combine(root, "manifest.json"), cancellation)) as JsonArray;
        if (saved is not { Count: 1 } || saved[0] is not JsonObject entry || entry["Config"]?.GetValue<string>() is not { } configFile)
            throw ResourceException.Terminal($"registry-image put: the manifest.json of '{shown}' must describe exactly one image");
        var blobs = Directory.CreateDirectory(Path.Combine(root, "blobs", "sha256")).FullName;
        async Task<JsonObject> AddAsync(string file, string mediaType)
        {
            var full = Path.GetFullPath(Path.Combine(root, file));
            if (!full.StartsWith(Path.GetFullPath(root) + Path.DirectorySeparatorChar, StringComparison.Ordinal) || !File.Exists(full))
                throw ResourceException.Terminal($"registry-image put: the manifest.json of '{shown}' names '{file}', which the tarball lacks");
            var digest = await Digests.OfFileAsync(full, cancellation);
            var blob = Path.Combine(blobs, Digests.Hex(digest));
            if (!File.Exists(blob))
                File.Copy(full, blob);
            return new JsonObject { ["mediaType"] = mediaType, ["digest"] = digest, ["size"] = new FileInfo(full).Length };
        }
        var layers = new JsonArray();
        foreach (var layer in entry["Layers"] as JsonArray ?? [])
        {
            var file = layer?.GetValue<string>() ?? "";
            layers.Add(await AddAsync(file, await IsGzipAsync(Path.Combine(root, file), cancellation) ? OciMediaTypes.LayerGzip : OciMediaTypes.Layer));
        }
        var manifest = new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = OciMediaTypes.Manifest,
            ["config"] = await AddAsync(configFile, OciMediaTypes.Config),
            ["layers"] = layers,
        };
        var bytes = System.Text.Encoding.UTF8.GetBytes(manifest.ToJsonString());
        return new ImageLayout(root, new Manifest(bytes, OciMediaTypes.Manifest, Digests.Of(bytes)));
    }

    private static async Task<bool> IsGzipAsync(string file, CancellationToken cancellation)
    {
        if (!File.Exists(file))
            return false;
        await using var stream = File.OpenRead(file);
        var magic = new byte[2];
        return await stream.ReadAtLeastAsync(magic, 2, throwOnEndOfStream: false, cancellation) == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
    }
}
