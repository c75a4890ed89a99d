using System.Text.Json;
using System.Text.Json.Nodes;
using Ferry.Core.Versions;

namespace Ferry.Engine.Resources.Npm;

/// <summary>
/// get: one version of the package. The directory gets <c>version</c> (the version, no newline), <c>package.json</c>
/// (the registry's manifest of that version, with <c>dist</c>), <c>package.tgz</c> (the tarball as published, for
/// <c>npm install ./package.tgz</c> in an image build) and <c>package/</c> (its contents, unpacked). The tarball is
/// checked against <c>dist.integrity</c> (or <c>dist.shasum</c>) before anything is unpacked. <c>skip_download</c>
/// writes <c>version</c> and <c>package.json</c> only.
/// </summary>
internal static class NpmGet
{
    public static readonly ConfigSchema Schema = new([new ConfigField("skip_download", FieldKind.Boolean)]);

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static async Task<ResourceVersion> GetAsync(ResourceCall call, JsonObject sourceConfig, ResourceVersion version, JsonObject @params, string directory,
        CancellationToken cancellation)
    {
        Schema.Enforce(@params, "params");
        var source = NpmSource.Parse(sourceConfig);
        var number = version.Version.GetValueOrDefault("version") is { Length: > 0 } v
            ? v
            : throw ResourceException.Terminal($"npm get: version {version.Key} has no 'version' field");
        var what = $"getting {source.Package}@{number} from {source.Registry}";
        var client = new NpmRegistryClient(source);
        var packument = await client.GetPackumentAsync(cancellation);
        var manifest = packument.Manifest(number, what);

        await File.WriteAllTextAsync(Path.Combine(directory, "version"), number, cancellation);
        await File.WriteAllTextAsync(Path.Combine(directory, "package.json"), manifest.ToJsonString(Indented) + "\n", cancellation);
        var result = packument.VersionOf(number);
        if (new ConfigReader(@params, "params").Boolean("skip_download"))
            return result;

        var tarballUrl = manifest["dist"]?["tarball"] is JsonValue t && t.TryGetValue<string>(out var url) && Uri.TryCreate(url, UriKind.Absolute, out var parsed)
            ? parsed
            : throw ResourceException.Terminal($"{what}: the manifest has no dist.tarball URL");
        var tarball = Path.Combine(directory, "package.tgz");
        await using (var output = File.Create(tarball))
            await client.DownloadAsync(tarballUrl, output, what, cancellation);
        call.Log.WriteLine($"downloaded {tarballUrl} ({new FileInfo(tarball).Length} bytes)");
        int skipped;
        try
        {
            await NpmIntegrity.VerifyAsync(tarball, manifest, what, cancellation);
            skipped = await NpmTarball.UnpackAsync(tarball, Path.Combine(directory, "package"), what, cancellation);
        }
        catch (ResourceException)
        {
            // No half-unpacked package and no unchecked tarball for a later step to pick up by mistake.
            File.Delete(tarball);
            if (Directory.Exists(Path.Combine(directory, "package")))
                Directory.Delete(Path.Combine(directory, "package"), recursive: true);
            throw;
        }
        call.Log.WriteLine($"unpacked {source.Package}@{number} into package/ (integrity checked{(skipped > 0 ? $"; skipped {skipped} link(s) and special file(s), as npm does" : "")})");
        return result;
    }
}
