using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Ferry.Core.Versions;

namespace Ferry.Engine.Resources.RegistryImage;

/// <summary>
/// put: pushes <c>params.image</c> (an OCI layout directory or an image tarball, a glob in the artifacts) under every tag
/// asked for: <c>source.tag</c>, <c>params.version</c> (with <c>-variant</c>), the aliases <c>bump_aliases</c> earns and
/// the tags in the <c>additional_tags</c> file. Blobs the registry has are not sent again; when the registry already has
/// the image's digest, no blob is sent at all and the tags are only pointed at it. Returns <c>{tag: first tag, digest}</c>
/// with the image's labels as metadata (the package version an image was built from shows next to its digest).
/// </summary>
internal static partial class RegistryImagePut
{
    public static readonly ConfigSchema Schema = new(
    [
        new ConfigField("image", FieldKind.String, Required: true),
        new ConfigField("version", FieldKind.String),
        new ConfigField("bump_aliases", FieldKind.Boolean),
        new ConfigField("additional_tags", FieldKind.String),
        new ConfigField("username", FieldKind.String),
        new ConfigField("password", FieldKind.String),
    ]);

    public static async Task<ResourceVersion> PutAsync(ResourceCall call, JsonObject sourceConfig, JsonObject @params, string artifactsRoot, CancellationToken cancellation)
    {
        Schema.Enforce(@params, "params");
        var read = new ConfigReader(@params, "params");
        var source = RegistryImageSource.Parse(sourceConfig, @params);
        var client = new RegistryClient(source, push: true);
        var tags = await TagsAsync(client, source, read, artifactsRoot, cancellation);
        var shown = read.RequiredString("image");
        var scratch = Path.Combine(call.WorkRoot, "registry-image", "put-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(scratch);
        try
        {
            var layout = await ImageLayout.OpenAsync(ArtifactGlob.Single(artifactsRoot, shown, "params.image"), scratch, shown, cancellation);
            var digest = layout.Top.Digest;
            if (await client.ManifestExistsAsync(digest, cancellation))
            {
                call.Log.WriteLine($"{source.Repository.Display} already has {digest}: tagging it {string.Join(", ", tags)} without pushing layers");
            }
            else
            {
                call.Log.WriteLine($"pushing {digest} to {source.Repository.Display}");
                await PushContentAsync(client, layout, call.Log, cancellation);
            }
            foreach (var tag in tags)
                await client.PutManifestAsync(tag, layout.Top, cancellation);
            call.Log.WriteLine($"tagged {string.Join(", ", tags)}");
            var labels = ImageLabels.Metadata(ImageLabels.ConfigOf(layout)).ToList();
            return new ResourceVersion(RegistryImageCheck.Version(tags[0], digest).Version,
                [new MetadataField("repository", source.Repository.Display), new MetadataField("tags", string.Join(" ", tags)), .. labels]);
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    /// <summary>The blobs of the image (of each image of an index), then an index's images by digest.</summary>
    private static async Task PushContentAsync(RegistryClient client, ImageLayout layout, TextWriter log, CancellationToken cancellation)
    {
        var images = new List<Manifest>();
        if (OciMediaTypes.IsIndex(layout.Top.MediaType))
        {
            var index = OciMediaTypes.Parse(layout.Top.Bytes, "index");
            foreach (var entry in index["manifests"] as JsonArray ?? [])
                images.Add(layout.ReadManifest(Descriptor.Read(entry, "index")));
        }
        else
        {
            images.Add(layout.Top);
        }
        foreach (var image in images)
        {
            if (OciMediaTypes.IsIndex(image.MediaType))
                throw ResourceException.Terminal($"registry-image put: {image.Digest} is an index inside an index, which registry-image does not push");
            OciMediaTypes.EnsureUnderstood(image, "registry-image put");
            var parts = ImageManifest.Read(image);
            foreach (var blob in parts.Layers.Prepend(parts.Config).DistinctBy(b => b.Digest))
            {
                if (await client.BlobExistsAsync(blob.Digest, cancellation))
                {
                    log.WriteLine($"  {blob.Digest[7..19]} already there");
                    continue;
                }
                var file = layout.BlobPath(blob.Digest);
                if (!File.Exists(file))
                    throw ResourceException.Terminal($"registry-image put: the image has no blob {blob.Digest}");
                await client.UploadBlobAsync(blob.Digest, file, cancellation);
                log.WriteLine($"  {blob.Digest[7..19]} pushed");
            }
            if (image != layout.Top)
                await client.PutManifestAsync(image.Digest, image, cancellation);
        }
    }

    private static async Task<List<string>> TagsAsync(RegistryClient client, RegistryImageSource source, ConfigReader read, string artifactsRoot, CancellationToken cancellation)
    {
        var tags = new List<string>();
        if (source.Tag is { } tag)
            tags.Add(tag);
        if (read.String("version") is { Length: > 0 } text)
        {
            var version = Semver.TryParse(text) ?? throw new ResourceConfigException($"params.version: '{text}' is not a semantic version");
            // As Concourse's type: the tag is the normalised version (no "v"), with the variant after it.
            var normal = $"{version.Major}.{version.Minor}.{version.Patch}{(version.Prerelease.Length > 0 ? "-" + version.Prerelease : "")}";
            tags.Add(source.Variant is { } variant ? $"{normal}-{variant}" : normal);
            if (read.Boolean("bump_aliases") && version.Prerelease.Length == 0)
                tags.AddRange(await AliasesAsync(client, source, version, cancellation));
        }
        if (read.String("additional_tags") is { Length: > 0 } file)
        {
            var path = ArtifactGlob.Single(artifactsRoot, file, "params.additional_tags");
            tags.AddRange((await File.ReadAllTextAsync(path, cancellation)).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        }
        foreach (var t in tags)
        {
            if (!TagPattern().IsMatch(t))
                throw new ResourceConfigException($"registry-image put: '{t}' is not a valid tag (letters, digits, '_', '.', '-'; up to 128, not starting with '.' or '-')");
        }
        return tags.Count > 0
            ? [.. tags.Distinct(StringComparer.Ordinal)]
            : throw new ResourceConfigException("registry-image put: no tag to push: give source.tag, params.version or params.additional_tags");
    }

    /// <summary>bump_aliases: <c>1.2</c>, <c>1</c> and <c>latest</c> (or the variant) when the version is the newest of each.</summary>
    private static async Task<IEnumerable<string>> AliasesAsync(RegistryClient client, RegistryImageSource source, Semver version, CancellationToken cancellation)
    {
        var existing = await client.TryListTagsAsync(cancellation);
        bool latest = true, major = true, minor = true;
        foreach (var tag in existing)
        {
            var text = tag;
            if (source.Variant is { } variant)
            {
                if (!tag.EndsWith("-" + variant, StringComparison.Ordinal))
                    continue;
                text = tag[..^(variant.Length + 1)];
            }
            if (Semver.TryParse(text) is not { Prerelease.Length: 0 } other)
                continue;
            if (other.CompareTo(version) > 0)
                latest = false;
            if (other.Major == version.Major && other.Minor > version.Minor)
                major = false;
            if (other.Major == version.Major && other.Minor == version.Minor && other.Patch > version.Patch)
                major = minor = false;
        }
        var suffix = source.Variant is { } v ? "-" + v : "";
        var aliases = new List<string>();
        if (latest)
            aliases.Add(source.Variant ?? "latest");
        if (major)
            aliases.Add($"{version.Major}{suffix}");
        if (minor)
            aliases.Add($"{version.Major}.{version.Minor}{suffix}");
        return aliases;
    }

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$", RegexOptions.CultureInvariant)]
    private static partial Regex TagPattern();
}
