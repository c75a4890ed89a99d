using Ferry.Core.Promotion;

namespace Ferry.Storage;

/// <summary>Local users, teams and API tokens, to the extent approvals and protected environments need them.</summary>
public interface IIdentityStore
{
    /// <summary>Creates or updates a user; <paramref name="teams"/> replaces the user's teams.</summary>
    Task<UserRecord> UpsertUserAsync(string name, bool owner, IReadOnlyList<string> teams, CancellationToken cancellationToken = default);

    Task<UserRecord?> GetUserAsync(string name, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<UserRecord>> ListUsersAsync(CancellationToken cancellationToken = default);

    /// <summary>A new token for the user; <see cref="NewApiToken.Token"/> is the only time the token is seen (the store keeps its hash).</summary>
    /// <exception cref="StoreException">No such user.</exception>
    Task<NewApiToken> CreateApiTokenAsync(string user, string? label = null, CancellationToken cancellationToken = default);

    /// <summary>The token's user, or null for an unknown or revoked token; records when it was last used.</summary>
    Task<UserRecord?> AuthenticateTokenAsync(string token, CancellationToken cancellationToken = default);

    Task<bool> RevokeApiTokenAsync(long tokenId, CancellationToken cancellationToken = default);
}

public sealed record UserRecord(int Id, string Name, bool Owner, IReadOnlyList<string> Teams, DateTimeOffset CreatedAt)
{
    public Actor ToActor() => new(Name, new HashSet<string>(Teams, StringComparer.Ordinal), Owner);
}

public sealed record NewApiToken(long Id, string User, string Token);
