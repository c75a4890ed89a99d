using Ferry.Core.Versions;
using Ferry.Engine.Resources.RegistryImage;

namespace Ferry.Engine.Resources.Npm;

/// <summary>
/// check: versions <c>{version}</c>, oldest first. Without <c>tag</c>: the versions the source admits, in publish order
/// (the packument's <c>time</c>), from <c>from</c> on. With <c>tag</c>: the version the tag points at now; the registry
/// keeps no tag history, so each check that sees the tag moved records its new target after <c>from</c>, and the
/// history builds up as in Concourse.
/// </summary>
internal static class NpmCheck
{
    public static async Task<IReadOnlyList<ResourceVersion>> CheckAsync(NpmSource source, ResourceVersion? from, CancellationToken cancellation)
    {
        var packument = await new NpmRegistryClient(source).GetPackumentAsync(cancellation);
        var previous = from?.Version.GetValueOrDefault("version");
        if (source.Tag is { } tag)
        {
            var target = packument.Tagged(tag, $"checking {source.Display}");
            if (previous is null || previous == target || !packument.Has(previous))
                return [packument.VersionOf(target)];
            return [packument.VersionOf(previous), packument.VersionOf(target)];
        }

        var admitted = packument.InPublishOrder().Where(v => Admits(source, v)).ToList();
        if (admitted.Count == 0)
            return [];
        var start = previous is null ? -1 : admitted.IndexOf(previous);
        return start < 0 ? [packument.VersionOf(admitted[^1])] : [.. admitted.Skip(start).Select(packument.VersionOf)];
    }

    /// <summary>
    /// Releases always; pre-releases only with <c>prereleases: true</c>, and then a pre-release is in a range when the
    /// release it leads to is (<c>2.2.2-c72a851-202403270931.0</c> is in <c>^2.2.2</c>): nightlies count toward their release.
    /// </summary>
    internal static bool Admits(NpmSource source, string text)
    {
        var version = Semver.TryParse(text);
        if (version is null)
            return source.Range is null && source.Prereleases;
        var prerelease = version.Prerelease.Length > 0;
        if (prerelease && !source.Prereleases)
            return false;
        if (source.Range is not { } range)
            return true;
        return range.Check(version) || (prerelease && Semver.TryParse($"{version.Major}.{version.Minor}.{version.Patch}") is { } release && range.Check(release));
    }
}
