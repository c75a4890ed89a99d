using System.Text.RegularExpressions;
using Ferry.Core.Yaml;

namespace Ferry.Core.Validation;

/// <summary>Concourse's identifier rule: a lowercase letter first, then letters, digits, '-', '_' or '.'; breaking it is a warning.</summary>
internal static partial class Identifiers
{
    public static void Check(string name, string path, SourceLocation at, DiagnosticBag diagnostics)
    {
        if (name.Length == 0 || name.Contains("((", StringComparison.Ordinal) || Valid().IsMatch(name))
        {
            return;
        }
        var reason = !StartsWithLetter().IsMatch(name)
            ? "must start with a lowercase letter"
            : $"illegal character '{IllegalCharacter().Match(name).Value}'";
        diagnostics.Warning(at, path, $"'{name}' is not a valid identifier: {reason}");
    }

    [GeneratedRegex(@"^[\p{Ll}\p{Lt}\p{Lm}\p{Lo}][\p{Ll}\p{Lt}\p{Lm}\p{Lo}\d\-_.]*$")]
    private static partial Regex Valid();

    [GeneratedRegex(@"^[\p{Ll}\p{Lt}\p{Lm}\p{Lo}]")]
    private static partial Regex StartsWithLetter();

    [GeneratedRegex(@"[^\p{Ll}\p{Lt}\p{Lm}\p{Lo}\d\-_.]")]
    private static partial Regex IllegalCharacter();
}
