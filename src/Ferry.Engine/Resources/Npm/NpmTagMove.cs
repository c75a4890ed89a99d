using Ferry.Core.Versions;

namespace Ferry.Engine.Resources.Npm;

/// <summary>
/// Moves a dist-tag (<c>params.tag</c>, else <c>source.tag</c>) to a published version: <c>version</c>, the contents of
/// <c>version_file</c> (a get's <c>version</c> file) or where <c>from_tag</c> points now. One
/// <c>PUT {registry}/-/package/{name}/dist-tags/{tag}</c>; the package's tarballs are not touched.
/// </summary>
internal static class NpmTagMove
{
    public static async Task<ResourceVersion> MoveAsync(ResourceCall call, NpmSource source, ConfigReader read, string artifactsRoot, CancellationToken cancellation)
    {
        var tag = read.String("tag") is { Length: > 0 } t ? t : source.Tag
            ?? throw new ResourceConfigException("params: a put publishes (params.publish) or moves a dist-tag (params.tag, or source.tag, with params.version, version_file or from_tag); none is given");
        var given = new[] { "version", "version_file", "from_tag" }.Where(f => read.String(f) is { Length: > 0 }).ToList();
        if (given.Count != 1)
        {
            throw new ResourceConfigException(given.Count == 0
                ? $"params: moving dist-tag '{tag}' needs the version to move it to: params.version, params.version_file or params.from_tag (or params.publish to publish)"
                : $"params.{given[1]}: give one of params.version, version_file and from_tag, not {string.Join(" and ", given)}");
        }

        var client = new NpmRegistryClient(source);
        var what = $"moving dist-tag '{tag}' of {source.Display}";
        var packument = await client.GetPackumentAsync(cancellation);
        var version = given[0] switch
        {
            "version" => read.String("version")!,
            "version_file" => (await File.ReadAllTextAsync(NpmPut.Artifact(artifactsRoot, read.String("version_file")!, "version_file"), cancellation)).Trim(),
            _ => packument.Tagged(read.String("from_tag")!, what),
        };
        packument.Manifest(version, what);
        if (packument.DistTags.TryGetValue(tag, out var current) && current == version)
        {
            call.Log.WriteLine($"dist-tag {tag} of {source.Package} already points at {version}");
            return packument.VersionOf(version);
        }

        await client.SetDistTagAsync(tag, version, what, cancellation);
        call.Log.WriteLine($"moved dist-tag {tag} of {source.Package} from {current ?? "nowhere"} to {version} (nothing republished)");
        return (await client.GetPackumentAsync(cancellation)).VersionOf(version);
    }
}
