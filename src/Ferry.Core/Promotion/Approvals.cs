namespace Ferry.Core.Promotion;

/// <summary><c>approval: {required: N, from: [users or teams], allow_self}</c>.</summary>
public sealed record ApprovalRule(int Required, IReadOnlyList<string> From, bool AllowSelf = false)
{
    /// <summary>
    /// The approvers named in <see cref="From"/>, directly or through a team; an empty <see cref="From"/> admits anyone
    /// who may operate the pipeline (operator role or more in its team). Nobody who is not signed in.
    /// </summary>
    public bool Admits(Actor actor) =>
        actor.SignedIn && (From.Count == 0 ? actor.Operates : From.Contains(actor.Name) || From.Any(actor.Teams.Contains));
}

/// <summary>Who asks: a local user (or API token's user) with their teams; owners may touch protected environments.</summary>
/// <param name="Operates">The user has the operator role or more in the pipeline's team (an approval without <c>from</c> admits them).</param>
/// <param name="SignedIn">False for a request nobody signed in to (<c>--insecure-no-auth</c>): it never counts as an approval.</param>
public sealed record Actor(string Name, IReadOnlySet<string> Teams, bool IsOwner = false, bool Operates = false, bool SignedIn = true)
{
    /// <summary>A user with no role in the pipeline's team (an approver named in <c>from</c>, say).</summary>
    public static Actor User(string name, params string[] teams) => new(name, new HashSet<string>(teams, StringComparer.Ordinal));

    /// <summary>A user with the operator (or member) role in the pipeline's team.</summary>
    public static Actor Operator(string name, params string[] teams) => new(name, new HashSet<string>(teams, StringComparer.Ordinal), Operates: true);

    public static Actor Owner(string name, params string[] teams) =>
        new(name, new HashSet<string>(teams, StringComparer.Ordinal), IsOwner: true, Operates: true);

    /// <summary>The promoter loop, for automatic promotions.</summary>
    public static Actor System { get; } = new("ferry", new HashSet<string>(), IsOwner: true, Operates: true);
}

public sealed record ApprovalVote(string Approver, bool Approved, string? Comment, DateTimeOffset At);
