using System.Text.Json;
using System.Text.Json.Nodes;
using Ferry.Core.Versions;

namespace Ferry.Engine.Resources.RegistryImage;

/// <summary>
/// get: the image at the version's digest, as Concourse's type writes it. Always <c>repository</c>, <c>tag</c> and
/// <c>digest</c> files; with <c>format: rootfs</c> (the default) the unpacked <c>rootfs/</c>, <c>metadata.json</c>
/// (<c>env</c>, <c>user</c>, <c>entrypoint</c>, <c>cmd</c>: what a task in the image runs with) and <c>labels.json</c>;
/// with <c>format: oci</c> an <c>image.tar</c> (an OCI layout that <c>docker load</c> also reads) and <c>labels.json</c>.
/// <c>skip_download</c> writes the three files only.
/// </summary>
internal static class RegistryImageGet
{
    public static readonly ConfigSchema Schema = new(
    [
        new ConfigField("format", FieldKind.String),
        new ConfigField("skip_download", FieldKind.Boolean),
        new ConfigField("username", FieldKind.String),
        new ConfigField("password", FieldKind.String),
    ]);

    private static readonly JsonSerializerOptions Compact = new();

    public static async Task<ResourceVersion> GetAsync(ResourceCall call, JsonObject sourceConfig, ResourceVersion version, JsonObject @params, string directory,
        CancellationToken cancellation)
    {
        Schema.Enforce(@params, "params");
        var read = new ConfigReader(@params, "params");
        var format = read.String("format") ?? "rootfs";
        if (format is not ("rootfs" or "oci"))
            throw new ResourceConfigException($"params.format: '{format}' is not one of rootfs, oci");
        var source = RegistryImageSource.Parse(sourceConfig, @params);
        var digest = version.Version.GetValueOrDefault("digest") ?? throw ResourceException.Terminal($"registry-image get: version {version.Key} has no digest");
        Digests.Hex(digest);
        var tag = version.Version.GetValueOrDefault("tag") ?? source.Tag ?? "latest";

        await File.WriteAllTextAsync(Path.Combine(directory, "repository"), sourceConfig["repository"]?.GetValue<string>() ?? source.Repository.Display, cancellation);
        await File.WriteAllTextAsync(Path.Combine(directory, "tag"), tag, cancellation);
        await File.WriteAllTextAsync(Path.Combine(directory, "digest"), digest, cancellation);
        var metadata = new List<MetadataField> { new("repository", source.Repository.Display), new("tag", tag) };
        if (read.Boolean("skip_download"))
            return new ResourceVersion(version.Version, metadata);

        var client = new RegistryClient(source, push: false);
        var cache = new BlobCache(call.WorkRoot);
        call.Log.WriteLine($"fetching {source.Repository.Display}@{digest}");
        var image = await ImageConfigs.ResolveAsync(client, source, digest, cancellation);
        var config = await ImageConfigs.ConfigAsync(client, cache, image, cancellation);
        var layers = new List<string>();
        foreach (var layer in image.Parts.Layers)
        {
            var cached = File.Exists(cache.PathOf(layer.Digest));
            layers.Add(await cache.GetAsync(client, layer.Digest, cancellation));
            call.Log.WriteLine($"  {layer.Digest[7..19]} {(cached ? "cached" : "downloaded")} ({Size(layer.Size)})");
        }

        var runtime = config["config"] as JsonObject;
        if (format == "rootfs")
        {
            var unpacker = new RootfsUnpacker(Path.Combine(directory, "rootfs"));
            for (var i = 0; i < layers.Count; i++)
                await unpacker.ApplyAsync(layers[i], image.Parts.Layers[i].Digest, cancellation);
            unpacker.Finish();
            if (unpacker.Skipped > 0)
                call.Log.WriteLine($"  skipped {unpacker.Skipped} device node(s) and FIFO(s): a container gets its own /dev");
            var runtimeMetadata = new JsonObject
            {
                ["cmd"] = runtime?["Cmd"]?.DeepClone(),
                ["entrypoint"] = runtime?["Entrypoint"]?.DeepClone(),
                ["env"] = runtime?["Env"]?.DeepClone(),
                ["user"] = runtime?["User"]?.DeepClone() ?? "",
            };
            await File.WriteAllTextAsync(Path.Combine(directory, "metadata.json"), runtimeMetadata.ToJsonString(Compact), cancellation);
        }
        else
        {
            await OciImageTarball.WriteAsync(Path.Combine(directory, "image.tar"), source.Repository.Display, tag, image, cache, cancellation);
        }
        await File.WriteAllTextAsync(Path.Combine(directory, "labels.json"), (runtime?["Labels"] as JsonObject ?? []).ToJsonString(Compact), cancellation);
        return new ResourceVersion(version.Version, [.. metadata, .. ImageLabels.Metadata(config)]);
    }

    private static string Size(long bytes) =>
        bytes < 0 ? "size unknown" : bytes < 1024 * 1024 ? $"{bytes / 1024.0:0.0} KiB" : $"{bytes / (1024.0 * 1024):0.0} MiB";
}
