namespace Ferry.Core.Promotion;

/// <summary><c>approval: {required: N, from: [users or teams], allow_self}</c>.</summary>
public sealed record ApprovalRule(int Required, IReadOnlyList<string> From, bool AllowSelf = false)
{
    /// <summary>An empty <see cref="From"/> lets anyone with access approve.</summary>
    public bool Admits(Actor actor) => From.Count == 0 || From.Contains(actor.Name) || From.Any(actor.Teams.Contains);
}

/// <summary>Who asks: a local user (or API token's user) with their teams; owners may touch protected environments.</summary>
public sealed record Actor(string Name, IReadOnlySet<string> Teams, bool IsOwner = false)
{
    public static Actor User(string name, params string[] teams) => new(name, new HashSet<string>(teams, StringComparer.Ordinal));

    public static Actor Owner(string name, params string[] teams) => new(name, new HashSet<string>(teams, StringComparer.Ordinal), IsOwner: true);

    /// <summary>The promoter loop, for automatic promotions.</summary>
    public static Actor System { get; } = new("ferry", new HashSet<string>(), IsOwner: true);
}

public sealed record ApprovalVote(string Approver, bool Approved, string? Comment, DateTimeOffset At);
