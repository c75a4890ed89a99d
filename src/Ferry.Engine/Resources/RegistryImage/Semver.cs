using System.Globalization;
using System.Text.RegularExpressions;

namespace Ferry.Engine.Resources.RegistryImage;

/// <summary>
/// A semantic version as image tags write them (Masterminds/semver's loose form, which Concourse's type uses): an
/// optional <c>v</c>, one to three numbers (<c>1</c>, <c>1.2</c>, <c>1.2.3</c>), a pre-release after <c>-</c> and build
/// metadata after <c>+</c>. Ordered by semver precedence.
/// </summary>
internal sealed partial class Semver : IComparable<Semver>
{
    private Semver(string original, long major, long minor, long patch, string prerelease)
    {
        Original = original;
        Major = major;
        Minor = minor;
        Patch = patch;
        Prerelease = prerelease;
    }

    public string Original { get; }
    public long Major { get; }
    public long Minor { get; }
    public long Patch { get; }
    public string Prerelease { get; }

    [GeneratedRegex(@"^v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?(?:-([0-9A-Za-z\-]+(?:\.[0-9A-Za-z\-]+)*))?(?:\+[0-9A-Za-z\-]+(?:\.[0-9A-Za-z\-]+)*)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    public static Semver? TryParse(string text)
    {
        var match = Pattern().Match(text);
        if (!match.Success)
            return null;
        if (!long.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var major))
            return null;
        long minor = 0, patch = 0;
        if (match.Groups[2].Success && !long.TryParse(match.Groups[2].Value[1..], NumberStyles.None, CultureInfo.InvariantCulture, out minor))
            return null;
        if (match.Groups[3].Success && !long.TryParse(match.Groups[3].Value[1..], NumberStyles.None, CultureInfo.InvariantCulture, out patch))
            return null;
        return new Semver(text, major, minor, patch, match.Groups[4].Success ? match.Groups[4].Value : "");
    }

    /// <summary>How many of major, minor and patch the text gave: a tag <c>1.2.3</c> is more specific than its alias <c>1.2</c>.</summary>
    public int Specificity => Original.Count(c => c == '.');

    public int CompareTo(Semver? other)
    {
        if (other is null)
            return 1;
        var core = (Major, Minor, Patch).CompareTo((other.Major, other.Minor, other.Patch));
        return core != 0 ? core : ComparePrerelease(Prerelease, other.Prerelease);
    }

    // A release sorts after its pre-releases; identifiers compare numerically when both are numbers, numbers first.
    private static int ComparePrerelease(string a, string b)
    {
        if (a == b)
            return 0;
        if (a.Length == 0)
            return 1;
        if (b.Length == 0)
            return -1;
        var x = a.Split('.');
        var y = b.Split('.');
        for (var i = 0; i < Math.Min(x.Length, y.Length); i++)
        {
            var xNumber = long.TryParse(x[i], NumberStyles.None, CultureInfo.InvariantCulture, out var xn);
            var yNumber = long.TryParse(y[i], NumberStyles.None, CultureInfo.InvariantCulture, out var yn);
            var c = (xNumber, yNumber) switch
            {
                (true, true) => xn.CompareTo(yn),
                (true, false) => -1,
                (false, true) => 1,
                _ => string.CompareOrdinal(x[i], y[i]),
            };
            if (c != 0)
                return c;
        }
        return x.Length.CompareTo(y.Length);
    }

    public override string ToString() => Original;
}
