using System.Data.Common;
using Dapper;

namespace Ferry.Storage.Sql;

internal sealed partial class SqlStore
{
    private sealed class UserRow
    {
        public long Id { get; set; }
        public string Name { get; set; } = "";
        public bool Owner { get; set; }
        public long CreatedAt { get; set; }
    }

    private sealed class MembershipRow
    {
        public long UserId { get; set; }
        public string Team { get; set; } = "";
        public string Role { get; set; } = "";
    }

    public Task<UserRecord> UpsertUserAsync(string name, bool owner, IReadOnlyList<string> teams, CancellationToken cancellationToken = default) =>
        SaveUserAsync(name, owner, [.. teams.Select(t => new TeamMembership(t, TeamRole.Member))], cancellationToken);

    public Task<UserRecord> SaveUserAsync(string name, bool owner, IReadOnlyList<TeamMembership> memberships, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ArgumentException("saving a user: the name is empty", nameof(name));
        }
        return WriteAsync(async scope =>
        {
            if (!owner)
            {
                await RefuseLastOwnerAsync(scope, name, $"{name} cannot stop being an owner", cancellationToken);
            }
            var id = await scope.Connection.ExecuteScalarAsync<long>(Cmd(scope,
                "INSERT INTO users (name, owner, created_at) VALUES (@name, @owner, @now) ON CONFLICT (name) DO UPDATE SET owner = excluded.owner RETURNING id",
                new { name, owner, now = Now }, cancellationToken));
            await scope.Connection.ExecuteAsync(Cmd(scope, "DELETE FROM team_members WHERE user_id = @id", new { id }, cancellationToken));
            // A team named twice keeps its last role, as a repeated --team on the command line would.
            var byTeam = new Dictionary<string, TeamRole>(StringComparer.Ordinal);
            foreach (var m in memberships.Where(m => !string.IsNullOrWhiteSpace(m.Team)))
            {
                byTeam[m.Team] = m.Role;
            }
            foreach (var (team, role) in byTeam)
            {
                await scope.Connection.ExecuteAsync(Cmd(scope, "INSERT INTO team_members (team, user_id, role) VALUES (@team, @id, @role)",
                    new { team, id, role = TeamRoles.Text(role) }, cancellationToken));
            }
            return (await LoadUsersAsync(scope.Connection, scope.Transaction, "u.id = @id", new { id }, cancellationToken))[0];
        }, cancellationToken);
    }

    public Task<UserRecord?> SetTeamRoleAsync(string user, string team, TeamRole? role, CancellationToken cancellationToken = default) =>
        WriteAsync(async scope =>
        {
            var id = await scope.Connection.ExecuteScalarAsync<long?>(Cmd(scope, "SELECT id FROM users WHERE name = @user", new { user }, cancellationToken));
            if (id is null)
            {
                return null;
            }
            await scope.Connection.ExecuteAsync(Cmd(scope, "DELETE FROM team_members WHERE user_id = @id AND team = @team", new { id, team }, cancellationToken));
            if (role is { } given)
            {
                await scope.Connection.ExecuteAsync(Cmd(scope, "INSERT INTO team_members (team, user_id, role) VALUES (@team, @id, @role)",
                    new { team, id, role = TeamRoles.Text(given) }, cancellationToken));
            }
            return (await LoadUsersAsync(scope.Connection, scope.Transaction, "u.id = @id", new { id }, cancellationToken)).FirstOrDefault();
        }, cancellationToken);

    public Task<bool> RemoveUserAsync(string name, CancellationToken cancellationToken = default) =>
        WriteAsync(async scope =>
        {
            await RefuseLastOwnerAsync(scope, name, $"{name} cannot be removed", cancellationToken);
            // Memberships and tokens go with the user (ON DELETE CASCADE): the user's tokens stop working with this commit.
            return await scope.Connection.ExecuteAsync(Cmd(scope, "DELETE FROM users WHERE name = @name", new { name }, cancellationToken)) > 0;
        }, cancellationToken);

    /// <summary>Whoever could put owners back must stay: a change that takes away the last owner is refused.</summary>
    private async Task RefuseLastOwnerAsync(WriteScope scope, string name, string change, CancellationToken cancellationToken)
    {
        // Locks the owners' rows (PostgreSQL), so two demotions at once cannot each leave the other as the last owner.
        var owners = (await scope.Connection.QueryAsync<string>(Cmd(scope,
            $"SELECT name FROM users WHERE owner = TRUE {_dialect.ForUpdate}", null, cancellationToken))).ToList();
        if (owners.Count == 1 && owners[0] == name)
        {
            throw new LastOwnerException($"{change}: {name} is the only owner (make another owner first)");
        }
    }

    public Task<UserRecord?> GetUserAsync(string name, CancellationToken cancellationToken = default) =>
        ReadAsync(async c => (await LoadUsersAsync(c, null, "u.name = @name", new { name }, cancellationToken)).FirstOrDefault(), cancellationToken);

    public Task<IReadOnlyList<UserRecord>> ListUsersAsync(CancellationToken cancellationToken = default) =>
        ReadAsync(c => LoadUsersAsync(c, null, "TRUE", null, cancellationToken), cancellationToken);

    public Task<NewApiToken?> CreateFirstOwnerAsync(string name, string label, CancellationToken cancellationToken = default) =>
        WriteAsync(async scope =>
        {
            if (await scope.Connection.ExecuteScalarAsync<long>(Cmd(scope, "SELECT COUNT(*) FROM users", null, cancellationToken)) > 0)
            {
                return null;
            }
            // Two nodes starting on one empty PostgreSQL store: the second's insert waits for the first's and does nothing.
            var id = await scope.Connection.ExecuteScalarAsync<long?>(Cmd(scope,
                "INSERT INTO users (name, owner, created_at) VALUES (@name, TRUE, @now) ON CONFLICT (name) DO NOTHING RETURNING id",
                new { name, now = Now }, cancellationToken));
            return id is null ? null : await InsertTokenAsync(scope, id.Value, name, label, cancellationToken);
        }, cancellationToken);

    private static async Task<IReadOnlyList<UserRecord>> LoadUsersAsync(DbConnection c, DbTransaction? transaction, string where, object? parameters,
        CancellationToken cancellationToken)
    {
        var users = (await c.QueryAsync<UserRow>(Cmd($"SELECT u.id, u.name, u.owner, u.created_at FROM users u WHERE {where} ORDER BY u.name",
            parameters, cancellationToken, transaction))).ToList();
        if (users.Count == 0)
        {
            return [];
        }
        var memberships = (await c.QueryAsync<MembershipRow>(Cmd(
            $"SELECT user_id, team, role FROM team_members WHERE user_id IN ({string.Join(",", users.Select(u => u.Id))}) ORDER BY team",
            null, cancellationToken, transaction))).ToLookup(m => m.UserId, m => new TeamMembership(m.Team, Role(m.Role)));
        return [.. users.Select(u => new UserRecord((int)u.Id, u.Name, u.Owner, [.. memberships[u.Id].Select(m => m.Team)], Col.Time(u.CreatedAt))
        {
            Memberships = [.. memberships[u.Id]],
        })];
    }

    private static TeamRole Role(string text) =>
        TeamRoles.TryParse(text, out var role) ? role : throw new StoreException($"reading team members: '{text}' is not a role");
}
