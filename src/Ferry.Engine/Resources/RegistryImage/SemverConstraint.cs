using System.Globalization;

namespace Ferry.Engine.Resources.RegistryImage;

/// <summary>
/// <c>source.semver_constraint</c>, with Masterminds/semver's rules (what Concourse's type uses): alternatives joined by
/// <c>||</c>, each a list of comparisons that must all hold (<c>&gt;= 1.2 &lt; 3.0.0</c>, commas allowed), comparisons
/// <c>= != &gt; &lt; &gt;= &lt;=</c>, tilde (<c>~1.2</c>: &gt;=1.2.0 &lt;1.3.0), caret (<c>^1.2</c>: &gt;=1.2.0 &lt;2.0.0),
/// wildcards (<c>1.2.x</c>, <c>*</c>) and hyphen ranges (<c>1.2 - 1.4.5</c>). A pre-release version only matches a
/// comparison that names a pre-release itself.
/// </summary>
internal sealed class SemverConstraint
{
    private readonly List<List<Comparison>> _alternatives;

    private SemverConstraint(List<List<Comparison>> alternatives) => _alternatives = alternatives;

    /// <summary>Throws <see cref="FormatException"/> naming what it could not read.</summary>
    public static SemverConstraint Parse(string text)
    {
        var alternatives = new List<List<Comparison>>();
        foreach (var alternative in text.Split("||"))
        {
            var tokens = Tokens(alternative);
            if (tokens.Count == 0)
                throw new FormatException($"'{text}' has an empty alternative");
            var all = new List<Comparison>();
            for (var i = 0; i < tokens.Count; i++)
            {
                if (i + 2 < tokens.Count && tokens[i + 1] == "-")
                {
                    all.Add(Comparison.Read(">=", tokens[i], text));
                    all.Add(Comparison.Read("<=", tokens[i + 2], text));
                    i += 2;
                    continue;
                }
                var (op, version) = SplitOperator(tokens[i]);
                if (version.Length == 0)
                {
                    if (i + 1 >= tokens.Count)
                        throw new FormatException($"'{text}': '{op}' is not followed by a version");
                    version = tokens[++i];
                }
                all.AddRange(Expand(op, version, text));
            }
            alternatives.Add(all);
        }
        return new SemverConstraint(alternatives);
    }

    public bool Check(Semver version) => _alternatives.Any(all => all.All(c => c.Matches(version)));

    private static List<string> Tokens(string alternative) =>
        [.. alternative.Split([' ', ',', '\t'], StringSplitOptions.RemoveEmptyEntries)];

    private static (string Op, string Version) SplitOperator(string token)
    {
        foreach (var op in new[] { ">=", "=>", "<=", "=<", "!=", "~>", ">", "<", "=", "~", "^" })
        {
            if (token.StartsWith(op, StringComparison.Ordinal))
                return (op switch { "=>" => ">=", "=<" => "<=", "~>" => "~", _ => op }, token[op.Length..]);
        }
        return ("=", token);
    }

    private static IEnumerable<Comparison> Expand(string op, string version, string text)
    {
        var partial = Partial.Read(version, text);
        switch (op)
        {
            case "~":
                yield return new Comparison(">=", partial.Floor());
                yield return new Comparison("<", partial.MinorDirty ? partial.NextMajor() : partial.NextMinor());
                break;
            case "^":
                yield return new Comparison(">=", partial.Floor());
                yield return new Comparison("<", partial.CaretCeiling());
                break;
            default:
                yield return new Comparison(op, partial);
                break;
        }
    }

    /// <summary>A version as a constraint writes it: parts may be missing or wildcards (dirty).</summary>
    private sealed record Partial(long Major, long Minor, long Patch, string Prerelease, bool MajorDirty, bool MinorDirty, bool PatchDirty)
    {
        public static Partial Read(string text, string constraint)
        {
            var body = text.StartsWith('v') ? text[1..] : text;
            var plus = body.IndexOf('+', StringComparison.Ordinal);
            if (plus >= 0)
                body = body[..plus];
            var dash = body.IndexOf('-', StringComparison.Ordinal);
            var prerelease = dash >= 0 ? body[(dash + 1)..] : "";
            var parts = (dash >= 0 ? body[..dash] : body).Split('.');
            if (parts.Length > 3 || parts.Any(p => p.Length == 0))
                throw new FormatException($"'{constraint}': '{text}' is not a version");
            var numbers = new long[3];
            var dirty = new bool[3];
            for (var i = 0; i < 3; i++)
            {
                if (i >= parts.Length || parts[i] is "x" or "X" or "*")
                {
                    dirty[i] = true;
                    continue;
                }
                if (dirty[Math.Max(0, i - 1)] && i > 0 || !long.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out numbers[i]))
                    throw new FormatException($"'{constraint}': '{text}' is not a version");
            }
            return new Partial(numbers[0], numbers[1], numbers[2], prerelease, dirty[0], dirty[0] || dirty[1], dirty[0] || dirty[1] || dirty[2]);
        }

        public bool Dirty => PatchDirty;

        public Partial Floor() => this with { MajorDirty = false, MinorDirty = false, PatchDirty = false };

        public Partial NextMinor() => new(Major, Minor + 1, 0, "", false, false, false);

        public Partial NextMajor() => new(Major + 1, 0, 0, "", false, false, false);

        public Partial CaretCeiling() =>
            Major > 0 || MinorDirty ? NextMajor()
            : Minor > 0 || PatchDirty ? NextMinor()
            : new Partial(0, 0, Patch + 1, "", false, false, false);

        public int CompareCore(Semver v)
        {
            var core = (v.Major, v.Minor, v.Patch).CompareTo((Major, Minor, Patch));
            return core != 0 ? core : -ComparePre(Prerelease, v.Prerelease);
        }

        private static int ComparePre(string mine, string theirs) =>
            Semver.TryParse($"0.0.0{(mine.Length > 0 ? "-" + mine : "")}")!.CompareTo(Semver.TryParse($"0.0.0{(theirs.Length > 0 ? "-" + theirs : "")}"));
    }

    private sealed record Comparison(string Op, Partial Version)
    {
        public static Comparison Read(string op, string version, string text) => new(op, Partial.Read(version, text));

        public bool Matches(Semver v)
        {
            if (v.Prerelease.Length > 0 && Version.Prerelease.Length == 0)
                return false;
            var p = Version;
            return Op switch
            {
                "=" => p.Dirty ? InRange(v) : p.CompareCore(v) == 0,
                "!=" => p.Dirty ? !InRange(v) : p.CompareCore(v) != 0,
                ">" => !p.MajorDirty && (v.Major != p.Major
                    ? v.Major > p.Major
                    : !p.MinorDirty && (p.PatchDirty ? v.Minor > p.Minor : p.CompareCore(v) > 0)),
                ">=" => p.MajorDirty || p.Floor().CompareCore(v) >= 0,
                "<" => !p.MajorDirty && p.Floor().CompareCore(v) < 0,
                "<=" => p.MajorDirty || (v.Major != p.Major
                    ? v.Major < p.Major
                    : p.MinorDirty || (p.PatchDirty ? v.Minor <= p.Minor : p.CompareCore(v) <= 0)),
                _ => false,
            };
        }

        // 1.2.x, 1.x and * as ranges.
        private bool InRange(Semver v) =>
            Version.MajorDirty || (v.Major == Version.Major && (Version.MinorDirty || (v.Minor == Version.Minor && (Version.PatchDirty || v.Patch == Version.Patch))));
    }
}
