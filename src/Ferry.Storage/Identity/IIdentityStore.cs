using Ferry.Core.Promotion;

namespace Ferry.Storage.Identity;

/// <summary>
/// Local users, their roles in teams, and API tokens. The store keeps only a hash of each token; a revoked token (its
/// row deleted) is unknown to the next <see cref="AuthenticateTokenAsync"/>.
/// </summary>
public interface IIdentityStore
{
    /// <summary>Creates or updates a user; <paramref name="teams"/> replaces the user's teams, each as a <see cref="TeamRole.Member"/>.</summary>
    Task<UserRecord> UpsertUserAsync(string name, bool owner, IReadOnlyList<string> teams, CancellationToken cancellationToken = default);

    /// <summary>Creates or updates a user; <paramref name="memberships"/> replaces the user's teams and roles.</summary>
    /// <exception cref="LastOwnerException">The change would leave the store without an owner.</exception>
    Task<UserRecord> SaveUserAsync(string name, bool owner, IReadOnlyList<TeamMembership> memberships, CancellationToken cancellationToken = default);

    /// <summary>Gives the user <paramref name="role"/> in <paramref name="team"/>, or takes them out of it when null; null when there is no such user.</summary>
    Task<UserRecord?> SetTeamRoleAsync(string user, string team, TeamRole? role, CancellationToken cancellationToken = default);

    /// <summary>Deletes the user with their tokens and memberships; false when there is no such user.</summary>
    /// <exception cref="LastOwnerException">The user is the last owner.</exception>
    Task<bool> RemoveUserAsync(string name, CancellationToken cancellationToken = default);

    Task<UserRecord?> GetUserAsync(string name, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<UserRecord>> ListUsersAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// On a store without users only: creates the owner <paramref name="name"/> and a token for them. Null when the
    /// store has users already (another server node made them first).
    /// </summary>
    Task<NewApiToken?> CreateFirstOwnerAsync(string name, string label, CancellationToken cancellationToken = default);

    /// <summary>A new token for the user; <see cref="NewApiToken.Token"/> is the only time the token is seen (the store keeps its hash).</summary>
    /// <exception cref="StoreException">No such user.</exception>
    Task<NewApiToken> CreateApiTokenAsync(string user, string? label = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// A new worker token for the remote worker <paramref name="worker"/>, made by <paramref name="createdBy"/>: it
    /// belongs to no user and authenticates only as that worker (<see cref="AuthenticateWorkerTokenAsync"/>).
    /// </summary>
    Task<NewApiToken> CreateWorkerTokenAsync(string worker, string createdBy, string? label = null, CancellationToken cancellationToken = default);

    /// <summary>The worker a worker token names, or null for an unknown or revoked one or a user's token.</summary>
    Task<string?> AuthenticateWorkerTokenAsync(string token, CancellationToken cancellationToken = default);

    /// <summary>The token's user, or null for an unknown or revoked token or a worker's; records when it was last used (at most once a minute).</summary>
    Task<UserRecord?> AuthenticateTokenAsync(string token, CancellationToken cancellationToken = default);

    /// <summary>The tokens of <paramref name="user"/>, or of everyone (workers' too) when null, oldest first; never the tokens themselves.</summary>
    Task<IReadOnlyList<ApiTokenRecord>> ListApiTokensAsync(string? user = null, CancellationToken cancellationToken = default);

    Task<ApiTokenRecord?> GetApiTokenAsync(long tokenId, CancellationToken cancellationToken = default);

    /// <summary>Deletes the token: from now on it authenticates no one. False when there is no such token.</summary>
    Task<bool> RevokeApiTokenAsync(long tokenId, CancellationToken cancellationToken = default);
}

/// <param name="Owner">A global owner: may do everything, in every team, and manages users and tokens.</param>
/// <param name="Teams">The names of the teams the user is in (<see cref="Memberships"/> has their roles).</param>
public sealed record UserRecord(int Id, string Name, bool Owner, IReadOnlyList<string> Teams, DateTimeOffset CreatedAt)
{
    public IReadOnlyList<TeamMembership> Memberships { get; init; } = [];

    /// <summary>The user's role in <paramref name="team"/>: owner everywhere for a global owner, null where they have none.</summary>
    public TeamRole? RoleIn(string team) =>
        Owner ? TeamRole.Owner : Memberships.FirstOrDefault(m => string.Equals(m.Team, team, StringComparison.Ordinal))?.Role;

    /// <summary>As approvals see the user: their teams, and whether they are a global owner.</summary>
    public Actor ToActor() => new(Name, new HashSet<string>(Teams, StringComparer.Ordinal), Owner);
}

/// <param name="User">The user it signs in; empty for a worker token.</param>
/// <param name="Worker">The remote worker a worker token names; null for a user's token.</param>
public sealed record NewApiToken(long Id, string User, string Token, string? Worker = null);

/// <summary>A change refused because it would take away the last owner: no one could manage users any more.</summary>
public sealed class LastOwnerException(string message) : InvalidOperationException(message);

/// <summary>A token as it may be shown: whose, what for, when made and last used; the token itself is never kept.</summary>
/// <param name="User">The user it signs in; empty for a worker token.</param>
/// <param name="Worker">The remote worker a worker token names (its kind is then worker); null for a user's token.</param>
/// <param name="CreatedBy">Who made a worker token; null for a user's token.</param>
public sealed record ApiTokenRecord(long Id, string User, string? Label, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, string? Worker = null, string? CreatedBy = null)
{
    public string Kind => Worker is null ? "user" : "worker";
}
