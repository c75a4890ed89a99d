using System.Text.Json.Nodes;
using Ferry.Core.Versions;

namespace Ferry.Engine.Resources.Npm;

/// <summary>
/// put, in one of two ways. <c>publish</c>: a package directory (or a tarball from <c>npm pack</c>) published with a
/// dist-tag in one request (<see cref="NpmPublish"/>). Without it: a dist-tag moved to a version that is already
/// published (<c>nightly</c> → <c>latest</c>), nothing republished (<see cref="NpmTagMove"/>).
/// </summary>
internal static class NpmPut
{
    public static readonly ConfigSchema Schema = new(
    [
        new ConfigField("publish", FieldKind.String),
        new ConfigField("tag", FieldKind.String),
        new ConfigField("prerelease_commit", FieldKind.String),
        new ConfigField("version", FieldKind.String),
        new ConfigField("version_file", FieldKind.String),
        new ConfigField("from_tag", FieldKind.String),
    ]);

    public static Task<ResourceVersion> PutAsync(ResourceCall call, JsonObject sourceConfig, JsonObject @params, string artifactsRoot, TimeProvider time,
        CancellationToken cancellation)
    {
        Schema.Enforce(@params, "params");
        var source = NpmSource.Parse(sourceConfig);
        var read = new ConfigReader(@params, "params");
        if (read.String("publish") is { Length: > 0 } publish)
        {
            foreach (var field in new[] { "version", "version_file", "from_tag" })
            {
                if (read.String(field) is { Length: > 0 })
                    throw new ResourceConfigException($"params.{field}: moves a dist-tag, and cannot be combined with params.publish (which publishes the version in package.json)");
            }
            return NpmPublish.PublishAsync(call, source, read, publish, artifactsRoot, time, cancellation);
        }
        if (read.String("prerelease_commit") is { Length: > 0 })
            throw new ResourceConfigException("params.prerelease_commit: stamps a version to publish; it needs params.publish");
        return NpmTagMove.MoveAsync(call, source, read, artifactsRoot, cancellation);
    }

    /// <summary>A path the params give, inside the artifacts (a put sees only the build's artifacts).</summary>
    internal static string Artifact(string artifactsRoot, string relative, string field)
    {
        var root = Path.GetFullPath(artifactsRoot);
        var full = Path.GetFullPath(Path.Combine(root, relative));
        if (Path.IsPathRooted(relative) || !full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new ResourceConfigException($"params.{field}: '{relative}' is not a path inside the build's artifacts (e.g. app or app/package.json's directory)");
        if (!File.Exists(full) && !Directory.Exists(full))
            throw new ResourceConfigException($"params.{field}: '{relative}' does not exist in the build's artifacts " +
                                              $"(there are: {string.Join(", ", Directory.EnumerateFileSystemEntries(root).Select(Path.GetFileName).Order(StringComparer.Ordinal))})");
        return full;
    }
}
