using System.Text.RegularExpressions;

namespace Ferry.Core.Vars;

/// <summary>One <c>((var))</c> found in a string.</summary>
internal readonly record struct Placeholder(int Start, int Length, VarReference Reference);

/// <summary>Finds placeholders in strings; the syntax follows Concourse's vars template.</summary>
internal static partial class Placeholders
{
    public static bool Contains(string text) => text.Contains("((", StringComparison.Ordinal) && Pattern().IsMatch(text);

    public static List<Placeholder> Find(string text)
    {
        var found = new List<Placeholder>();
        if (!text.Contains("((", StringComparison.Ordinal))
        {
            return found;
        }
        foreach (Match match in Pattern().Matches(text))
        {
            var reference = VarReference.Parse(match.Groups[1].Value);
            if (reference is not null)
            {
                found.Add(new Placeholder(match.Index, match.Length, reference));
            }
        }
        return found;
    }

    /// <summary>The single placeholder that makes up the whole text, if it is one.</summary>
    public static Placeholder? Whole(string text)
    {
        var found = Find(text);
        return found.Count == 1 && found[0].Start == 0 && found[0].Length == text.Length ? found[0] : null;
    }

    /// <summary>Rewrites the legacy <c>{{var}}</c> to <c>((var))</c> in place (same length, so locations hold).</summary>
    public static string RewriteLegacy(string text, out int count)
    {
        var n = 0;
        var result = text.Contains("{{", StringComparison.Ordinal)
            ? LegacyPattern().Replace(text, m =>
            {
                n++;
                return "((" + m.Groups[1].Value + "))";
            })
            : text;
        count = n;
        return result;
    }

    [GeneratedRegex(@"\(\(([-/.\w\p{L}:"" ]+)\)\)")]
    private static partial Regex Pattern();

    [GeneratedRegex(@"\{\{([\w\p{L}][-/.\w\p{L}]*)\}\}")]
    private static partial Regex LegacyPattern();
}
