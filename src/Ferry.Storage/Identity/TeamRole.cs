namespace Ferry.Storage.Identity;

/// <summary>
/// What a user may do with a team's pipelines (Concourse's roles), each role all the ones below it can and more:
/// viewer reads; operator also triggers, aborts, pins, pauses, checks, promotes and holds; member also sets pipelines and
/// variables; owner also destroys pipelines, touches protected environments and manages the team's users.
/// </summary>
public enum TeamRole
{
    Viewer = 1,
    Operator = 2,
    Member = 3,
    Owner = 4,
}

/// <summary>One team a user is in, with their role there.</summary>
public sealed record TeamMembership(string Team, TeamRole Role)
{
    /// <summary><c>ops</c> (a member) or <c>ops:viewer</c>, as <c>ferry user add --team</c> and the API take it.</summary>
    public static bool TryParse(string text, out TeamMembership membership, out string? problem)
    {
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        var team = (colon < 0 ? text : text[..colon]).Trim();
        var role = TeamRole.Member;
        problem = null;
        if (colon >= 0 && !TeamRoles.TryParse(text[(colon + 1)..].Trim(), out role))
        {
            problem = $"'{text}' names no role: give TEAM or TEAM:ROLE with ROLE one of {TeamRoles.Names}";
        }
        membership = new TeamMembership(team, role);
        return problem is null;
    }

    public override string ToString() => $"{Team}:{TeamRoles.Text(Role)}";
}

/// <summary>The roles' names as the CLI, the API and the store spell them.</summary>
public static class TeamRoles
{
    public const string Names = "owner, member, operator, viewer";

    public static string Text(TeamRole role) => role.ToString().ToLowerInvariant();

    public static bool TryParse(string? text, out TeamRole role)
    {
        role = TeamRole.Member;
        return text is not null && text.Length > 0 && text.All(char.IsAsciiLetter) && Enum.TryParse(text, ignoreCase: true, out role) && Enum.IsDefined(role);
    }
}
