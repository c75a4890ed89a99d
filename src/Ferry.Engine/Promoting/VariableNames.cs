using System.Text.RegularExpressions;

namespace Ferry.Engine.Promoting;

/// <summary>An environment's variables become environment variables of deploy and verify tasks, so their names must be valid as such.</summary>
internal static partial class VariableNames
{
    /// <exception cref="ArgumentException">The name is empty or not <c>[A-Za-z_][A-Za-z0-9_]*</c>.</exception>
    public static void Check(string name)
    {
        if (!Valid().IsMatch(name))
            throw new ArgumentException($"variable name '{name}' is not valid: use letters, digits and _, not starting with a digit");
        if (name.StartsWith("FERRY_", StringComparison.Ordinal))
            throw new ArgumentException($"variable name '{name}' is reserved: Ferry sets FERRY_* variables itself");
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex Valid();
}
