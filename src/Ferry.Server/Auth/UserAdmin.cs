using Ferry.Core.Audit;
using Ferry.Server.Api;
using Ferry.Storage;

namespace Ferry.Server.Auth;

/// <summary>
/// Users, roles and tokens as people change them, through the API and the web UI's users page alike: global owners
/// add, change and remove users and make tokens for anyone; a team's owners give and take roles in their team; every
/// user makes, lists and revokes their own tokens; anyone with a role somewhere may list the users. Refusals are
/// <see cref="ApiException"/>s: 403, 404, 400, and 409 for taking away the last owner.
/// Every change is in the audit log with who made it (an entry of no pipeline, which owners read in `ferry audit`).
/// </summary>
internal sealed class UserAdmin(IStore store, RequestActor who)
{
    /// <summary>Why the user may not add, change or remove users (or make tokens for others); null for an owner.</summary>
    public string? ManageRefusal => who.IsOwner ? null : $"{who.Name} is not an owner: only owners add, change and remove users";

    /// <summary>Why the user may not list the users; null when they have a role somewhere.</summary>
    public string? ListRefusal => who.HasAnyRole ? null : $"{who.Name} needs a role in some team to list the users";

    public async Task<IReadOnlyList<UserRecord>> ListUsersAsync(CancellationToken ct)
    {
        Refuse(ListRefusal);
        return await store.ListUsersAsync(ct);
    }

    /// <param name="teams">Each <c>TEAM</c> or <c>TEAM:ROLE</c>; replaces the user's teams.</param>
    public async Task<UserRecord> SaveUserAsync(string? name, bool owner, IReadOnlyList<string> teams, CancellationToken ct)
    {
        Refuse(ManageRefusal is null ? null : $"saving user '{name}': {ManageRefusal}");
        var checkedName = CheckName(name, "name", team: false);
        var memberships = teams.Select((t, i) => Membership(t, $"teams[{i}]")).ToList();
        var existed = await store.GetUserAsync(checkedName, ct) is not null;
        var user = await LastOwnerIsConflict(() => store.SaveUserAsync(checkedName, owner, memberships, ct));
        await store.AuditIdentityAsync(who.Name, existed ? AuditActions.UserChanged : AuditActions.UserAdded,
            $"user '{user.Name}' (owner: {(user.Owner ? "yes" : "no")}; teams: {(user.Memberships.Count == 0 ? "none" : string.Join(", ", user.Memberships))})", ct);
        return user;
    }

    public async Task RemoveUserAsync(string name, CancellationToken ct)
    {
        Refuse(ManageRefusal is null ? null : $"removing user '{name}': {ManageRefusal}");
        if (!await LastOwnerIsConflict(() => store.RemoveUserAsync(name, ct)))
        {
            throw ApiException.NotFound($"user '{name}' not found");
        }
        await store.AuditIdentityAsync(who.Name, AuditActions.UserRemoved, $"user '{name}' and their tokens", ct);
    }

    /// <summary>Gives <paramref name="name"/> <paramref name="role"/> in <paramref name="team"/>, or takes them out of it when null.</summary>
    public async Task<UserRecord> SetRoleAsync(string name, string team, TeamRole? role, CancellationToken ct)
    {
        CheckName(team, "team", team: true);
        var doing = role is null ? $"taking '{name}' out of team {team}" : $"giving '{name}' a role in team {team}";
        Refuse(who.RoleIn(team) == TeamRole.Owner ? null : $"{doing}: {who.Name} needs the owner role in team {team}");
        var user = await store.SetTeamRoleAsync(name, team, role, ct) ?? throw ApiException.NotFound($"user '{name}' not found");
        if (role is { } given)
        {
            await store.AuditIdentityAsync(who.Name, AuditActions.RoleSet, $"'{name}' has the {TeamRoles.Text(given)} role in team {team}", ct);
        }
        else
        {
            await store.AuditIdentityAsync(who.Name, AuditActions.RoleRemoved, $"'{name}' is out of team {team}", ct);
        }
        return user;
    }

    /// <summary>Why the user may not make a token for <paramref name="user"/>; null when they may.</summary>
    public string? TokenRefusal(string user) =>
        who.IsOwner || who.Name == user ? null : $"creating a token for '{user}': only an owner or '{user}' themselves may (you are '{who.Name}')";

    public async Task<NewApiToken> CreateTokenAsync(string user, string? label, CancellationToken ct)
    {
        Refuse(TokenRefusal(user));
        if (await store.GetUserAsync(user, ct) is null)
        {
            throw ApiException.NotFound($"user '{user}' not found");
        }
        label = string.IsNullOrWhiteSpace(label) ? null : label.Trim();
        var token = await store.CreateApiTokenAsync(user, label, ct);
        await store.AuditIdentityAsync(who.Name, AuditActions.TokenCreated, $"token {token.Id} of '{user}'{(label is null ? "" : $" ({label})")}", ct);
        return token;
    }

    /// <summary>A worker token for the remote worker <paramref name="worker"/>: global owners only, as a worker runs any team's builds.</summary>
    public async Task<NewApiToken> CreateWorkerTokenAsync(string? worker, string? label, CancellationToken ct)
    {
        Refuse(who.IsOwner ? null : $"creating a worker token: only a global owner may (you are '{who.Name}')");
        var name = CheckName(worker, "worker", team: true);
        label = string.IsNullOrWhiteSpace(label) ? null : label.Trim();
        var token = await store.CreateWorkerTokenAsync(name, who.Name, label, ct);
        await store.AuditIdentityAsync(who.Name, AuditActions.TokenCreated, $"worker token {token.Id} of worker '{name}'{(label is null ? "" : $" ({label})")}", ct);
        return token;
    }

    /// <summary>An owner's list is everyone's (or <paramref name="user"/>'s); anyone else's is their own.</summary>
    public async Task<IReadOnlyList<ApiTokenRecord>> ListTokensAsync(string? user, CancellationToken ct)
    {
        Refuse(who.IsOwner || user is null || user == who.Name
            ? null
            : $"listing the tokens of '{user}': only an owner or '{user}' themselves may (you are '{who.Name}')");
        return await store.ListApiTokensAsync(who.IsOwner ? user : who.Name, ct);
    }

    /// <summary>Why the user may not revoke <paramref name="token"/>; null when it is theirs or they are an owner.</summary>
    public string? RevokeRefusal(ApiTokenRecord token) =>
        who.IsOwner || token.User == who.Name ? null : $"{who.Name} may revoke only their own tokens";

    public async Task RevokeTokenAsync(long id, CancellationToken ct)
    {
        var token = await store.GetApiTokenAsync(id, ct);
        // Someone else's token is as absent as a missing one: its id tells nothing to who may not revoke it.
        if (token is null || RevokeRefusal(token) is not null || !await store.RevokeApiTokenAsync(id, ct))
        {
            throw ApiException.NotFound($"token {id} not found{(who.IsOwner ? "" : $" among the tokens of '{who.Name}'")}");
        }
        await store.AuditIdentityAsync(who.Name, AuditActions.TokenRevoked,
            token.Worker is { } worker ? $"worker token {id} of worker '{worker}'" : $"token {id} of '{token.User}'", ct);
    }

    private static async Task<T> LastOwnerIsConflict<T>(Func<Task<T>> change)
    {
        try
        {
            return await change();
        }
        catch (LastOwnerException e)
        {
            throw ApiException.Conflict(e.Message);
        }
    }

    private static void Refuse(string? refusal)
    {
        if (refusal is not null)
        {
            throw ApiException.Forbidden(refusal);
        }
    }

    private static TeamMembership Membership(string? text, string field)
    {
        if (!TeamMembership.TryParse(text ?? "", out var membership, out var problem))
        {
            throw ApiException.BadRequest(field, problem!);
        }
        CheckName(membership.Team, field, team: true);
        return membership;
    }

    private static string CheckName(string? value, string field, bool team)
    {
        var name = value?.Trim() ?? "";
        return UserNames.Problem(name, team) is { } problem ? throw ApiException.BadRequest(field, problem) : name;
    }
}
