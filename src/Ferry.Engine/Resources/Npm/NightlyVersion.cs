using System.Globalization;
using System.Text.RegularExpressions;

namespace Ferry.Engine.Resources.Npm;

/// <summary>
/// FlowFuse's nightly versions: <c>npm version prerelease --preid=&lt;commit&gt;-&lt;time&gt;</c> on the package's version,
/// so <c>2.2.1</c> built from commit c72a851… at 2024-03-27 09:31 UTC publishes as <c>2.2.2-c72a851-202403270931.0</c>
/// (a release is bumped to the next patch; a pre-release <c>2.3.0-beta.1</c> keeps its core: <c>2.3.0-c72a851-202403270931.0</c>).
/// Such a version sorts before the release it leads to and after the previous nightly (the time grows).
/// </summary>
internal static partial class NightlyVersion
{
    [GeneratedRegex(@"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z\-.]+)?(\+[0-9A-Za-z\-.]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Version();

    [GeneratedRegex("^[0-9a-f]{7,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex Commit();

    public static bool IsVersion(string text) => Version().IsMatch(text);

    public static string Stamp(string version, string commit, DateTimeOffset at, string path)
    {
        var match = Version().Match(version);
        if (!match.Success)
            throw new ResourceConfigException($"{path}: package.json's version '{version}' is not a semver version (major.minor.patch)");
        if (!Commit().IsMatch(commit))
            throw new ResourceConfigException($"{path}: '{commit}' is not a commit id (7 to 64 lowercase hex digits)");
        var patch = long.Parse(match.Groups[3].Value, CultureInfo.InvariantCulture);
        if (!match.Groups[4].Success)
            patch++;
        return $"{match.Groups[1].Value}.{match.Groups[2].Value}.{patch}-{commit[..7]}-{at.UtcDateTime.ToString("yyyyMMddHHmm", CultureInfo.InvariantCulture)}.0";
    }
}
