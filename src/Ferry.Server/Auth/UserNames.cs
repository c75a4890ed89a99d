using System.Text.RegularExpressions;
using Ferry.Core.Promotion;

namespace Ferry.Server.Auth;

/// <summary>
/// What a user or team name may be: one word, as approval rules and audit lines name them. Public because
/// <c>ferry user add</c> checks names before it opens the store.
/// </summary>
public static partial class UserNames
{
    /// <summary>The name a request without a token acts as.</summary>
    public const string Anonymous = "anonymous";

    /// <summary>Names no user may have: the one of requests without a token, and the one automatic promotions run as.</summary>
    public static bool IsReserved(string name) =>
        string.Equals(name, Anonymous, StringComparison.OrdinalIgnoreCase) || string.Equals(name, Actor.System.Name, StringComparison.OrdinalIgnoreCase);

    /// <summary>Why <paramref name="name"/> cannot be a user's (or, with <paramref name="team"/>, a team's) name; null when it can.</summary>
    public static string? Problem(string name, bool team = false)
    {
        if (!Pattern().IsMatch(name))
        {
            return $"'{name}' is not a valid name: letters, digits, '.', '_', '-' or '@', starting with a letter or digit, at most 100";
        }
        return !team && IsReserved(name) ? $"'{name}' is reserved (requests without a token and automatic promotions act as it)" : null;
    }

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._@-]{0,99}$")]
    private static partial Regex Pattern();
}
