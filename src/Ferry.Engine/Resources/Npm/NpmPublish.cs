using System.Text.Json;
using System.Text.Json.Nodes;
using Ferry.Core.Versions;

namespace Ferry.Engine.Resources.Npm;

/// <summary>
/// Publishes <c>params.publish</c> (a directory with package.json, or an <c>npm pack</c> tarball) with a dist-tag
/// (<c>params.tag</c>, else <c>source.tag</c>, else <c>latest</c>), optionally as a nightly stamped from
/// <c>prerelease_commit</c> (<see cref="NightlyVersion"/>). The registry gets one <c>PUT</c> of a packument carrying the
/// version, its tarball (<c>_attachments</c>, base64) and the tag, as <c>npm publish</c> sends it; a refused publish
/// changes nothing, every dist-tag stays where it was.
/// </summary>
internal static class NpmPublish
{
    public static async Task<ResourceVersion> PublishAsync(ResourceCall call, NpmSource source, ConfigReader read, string publish, string artifactsRoot,
        TimeProvider time, CancellationToken cancellation)
    {
        var path = NpmPut.Artifact(artifactsRoot, publish, "publish");
        var tag = read.String("tag") is { Length: > 0 } t ? t : source.Tag ?? "latest";
        if (NightlyVersion.IsVersion(tag))
            throw new ResourceConfigException($"params.tag: '{tag}' is a version; a dist-tag must not look like one (npm refuses it)");

        DirectoryInfo? unpacked = null;
        try
        {
            var directory = path;
            if (File.Exists(path))
            {
                unpacked = Directory.CreateTempSubdirectory("ferry-npm-publish-");
                await NpmTarball.UnpackAsync(path, unpacked.FullName, $"params.publish: {publish}", cancellation);
                directory = unpacked.FullName;
            }
            var manifest = await ReadManifestAsync(directory, publish, source, cancellation);
            var version = manifest["version"]!.GetValue<string>();
            if (read.String("prerelease_commit") is { Length: > 0 } commitPath)
            {
                version = NightlyVersion.Stamp(version, await ReadCommitAsync(artifactsRoot, commitPath, cancellation), time.GetUtcNow(), "params.prerelease_commit");
                manifest["version"] = version;
            }

            var what = $"publishing {source.Package}@{version} with dist-tag '{tag}' to {source.Registry}";
            var client = new NpmRegistryClient(source);
            if ((await client.FindPackumentAsync(cancellation))?.Has(version) == true)
                throw ResourceException.Terminal($"{what}: version {version} is already published (a version is published once; nothing published, dist-tags unchanged)");

            var tarball = await NpmTarball.PackAsync(directory, manifest, cancellation);
            await client.PublishAsync(Document(source, manifest, version, tag, tarball), what, cancellation);
            call.Log.WriteLine($"published {source.Package}@{version} with dist-tag {tag} ({tarball.Length} bytes, {NpmIntegrity.Sha512(tarball)[..22]}…)");
            return (await client.GetPackumentAsync(cancellation)).VersionOf(version);
        }
        finally
        {
            unpacked?.Delete(recursive: true);
        }
    }

    // What libnpmpublish sends: the version's manifest with its dist, the tag, and the tarball as an attachment.
    private static JsonObject Document(NpmSource source, JsonObject manifest, string version, string tag, byte[] tarball)
    {
        var name = source.Package.Value;
        var versionManifest = (JsonObject)manifest.DeepClone();
        versionManifest["_id"] = $"{name}@{version}";
        versionManifest["dist"] = new JsonObject
        {
            ["integrity"] = NpmIntegrity.Sha512(tarball),
            ["shasum"] = NpmIntegrity.Sha1Hex(tarball),
            ["tarball"] = new Uri(source.Registry, $"{name}/-/{source.Package.Bare}-{version}.tgz").ToString(),
        };
        return new JsonObject
        {
            ["_id"] = name,
            ["name"] = name,
            ["description"] = manifest["description"]?.DeepClone(),
            ["dist-tags"] = new JsonObject { [tag] = version },
            ["versions"] = new JsonObject { [version] = versionManifest },
            ["_attachments"] = new JsonObject
            {
                [$"{name}-{version}.tgz"] = new JsonObject
                {
                    ["content_type"] = "application/octet-stream",
                    ["data"] = Convert.ToBase64String(tarball),
                    ["length"] = tarball.Length,
                },
            },
        };
    }

    private static async Task<JsonObject> ReadManifestAsync(string directory, string publish, NpmSource source, CancellationToken cancellation)
    {
        var file = Path.Combine(directory, "package.json");
        if (!File.Exists(file))
            throw new ResourceConfigException($"params.publish: '{publish}' has no package.json");
        JsonObject manifest;
        try
        {
            manifest = JsonNode.Parse(await File.ReadAllTextAsync(file, cancellation)) as JsonObject
                       ?? throw new JsonException("not a JSON object");
        }
        catch (JsonException e)
        {
            throw new ResourceConfigException($"params.publish: {publish}/package.json is not valid JSON: {e.Message}");
        }
        var name = manifest["name"] is JsonValue n && n.TryGetValue<string>(out var text) ? text : null;
        if (name != source.Package.Value)
            throw new ResourceConfigException($"params.publish: {publish}/package.json names the package '{name ?? "(no name)"}', and source.package is '{source.Package}'");
        if (manifest["version"] is not JsonValue v || !v.TryGetValue<string>(out var version) || !NightlyVersion.IsVersion(version))
            throw new ResourceConfigException($"params.publish: {publish}/package.json has no semver version (major.minor.patch)");
        if (manifest["private"] is JsonValue p && p.TryGetValue<bool>(out var isPrivate) && isPrivate)
            throw new ResourceConfigException($"params.publish: {publish}/package.json says \"private\": true, which npm refuses to publish");
        return manifest;
    }

    // A file holding the commit id, or a git get's directory (its .git/ref names the commit it checked out).
    private static async Task<string> ReadCommitAsync(string artifactsRoot, string relative, CancellationToken cancellation)
    {
        var path = NpmPut.Artifact(artifactsRoot, relative, "prerelease_commit");
        if (Directory.Exists(path))
        {
            var reference = Path.Combine(path, ".git", "ref");
            if (!File.Exists(reference))
                throw new ResourceConfigException($"params.prerelease_commit: '{relative}' is a directory without .git/ref; name a git get's directory or a file holding the commit id");
            path = reference;
        }
        var text = (await File.ReadAllTextAsync(path, cancellation)).Trim();
        return text.Split((char[]?)null, 2, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "";
    }
}
