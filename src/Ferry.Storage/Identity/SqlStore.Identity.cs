using System.Data.Common;
using System.Security.Cryptography;
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

    public Task<UserRecord> UpsertUserAsync(string name, bool owner, IReadOnlyList<string> teams, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ArgumentException("saving a user: the name is empty", nameof(name));
        }
        return WriteAsync(async scope =>
        {
            var id = await scope.Connection.ExecuteScalarAsync<long>(Cmd(scope,
                "INSERT INTO users (name, owner, created_at) VALUES (@name, @owner, @now) ON CONFLICT (name) DO UPDATE SET owner = excluded.owner RETURNING id",
                new { name, owner, now = Now }, cancellationToken));
            await scope.Connection.ExecuteAsync(Cmd(scope, "DELETE FROM team_members WHERE user_id = @id", new { id }, cancellationToken));
            foreach (var team in teams.Where(t => !string.IsNullOrWhiteSpace(t)).Distinct(StringComparer.Ordinal))
            {
                await scope.Connection.ExecuteAsync(Cmd(scope, "INSERT INTO team_members (team, user_id) VALUES (@team, @id)", new { team, id }, cancellationToken));
            }
            return (await LoadUsersAsync(scope.Connection, scope.Transaction, "u.id = @id", new { id }, cancellationToken))[0];
        }, cancellationToken);
    }

    public Task<UserRecord?> GetUserAsync(string name, CancellationToken cancellationToken = default) =>
        ReadAsync(async c => (await LoadUsersAsync(c, null, "u.name = @name", new { name }, cancellationToken)).FirstOrDefault(), cancellationToken);

    public Task<IReadOnlyList<UserRecord>> ListUsersAsync(CancellationToken cancellationToken = default) =>
        ReadAsync(c => LoadUsersAsync(c, null, "TRUE", null, cancellationToken), cancellationToken);

    public Task<NewApiToken> CreateApiTokenAsync(string user, string? label = null, CancellationToken cancellationToken = default) =>
        WriteAsync(async scope =>
        {
            var userId = await scope.Connection.ExecuteScalarAsync<long?>(Cmd(scope, "SELECT id FROM users WHERE name = @user", new { user }, cancellationToken))
                ?? throw new StoreException($"creating an API token: no user '{user}'");
            var token = "ferry_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
            var id = await scope.Connection.ExecuteScalarAsync<long>(Cmd(scope,
                "INSERT INTO api_tokens (user_id, token_sha, label, created_at) VALUES (@userId, @sha, @label, @now) RETURNING id",
                new { userId, sha = Col.Sha(token), label, now = Now }, cancellationToken));
            return new NewApiToken(id, user, token);
        }, cancellationToken);

    public async Task<UserRecord?> AuthenticateTokenAsync(string token, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }
        var sha = Col.Sha(token);
        var user = await ReadAsync(async c => (await LoadUsersAsync(c, null,
            "u.id = (SELECT t.user_id FROM api_tokens t WHERE t.token_sha = @sha)", new { sha }, cancellationToken)).FirstOrDefault(), cancellationToken);
        if (user is not null)
        {
            await WriteAsync(scope => scope.Connection.ExecuteAsync(Cmd(scope,
                "UPDATE api_tokens SET last_used_at = @now WHERE token_sha = @sha", new { now = Now, sha }, cancellationToken)), cancellationToken);
        }
        return user;
    }

    public Task<bool> RevokeApiTokenAsync(long tokenId, CancellationToken cancellationToken = default) =>
        WriteAsync(async scope => await scope.Connection.ExecuteAsync(Cmd(scope, "DELETE FROM api_tokens WHERE id = @tokenId", new { tokenId }, cancellationToken)) > 0,
            cancellationToken);

    private static async Task<IReadOnlyList<UserRecord>> LoadUsersAsync(DbConnection c, DbTransaction? transaction, string where, object? parameters,
        CancellationToken cancellationToken)
    {
        var users = (await c.QueryAsync<UserRow>(Cmd($"SELECT u.id, u.name, u.owner, u.created_at FROM users u WHERE {where} ORDER BY u.name",
            parameters, cancellationToken, transaction))).ToList();
        if (users.Count == 0)
        {
            return [];
        }
        var teams = (await c.QueryAsync<(long UserId, string Team)>(Cmd(
            $"SELECT user_id, team FROM team_members WHERE user_id IN ({string.Join(",", users.Select(u => u.Id))}) ORDER BY team",
            null, cancellationToken, transaction))).ToLookup(t => t.UserId, t => t.Team);
        return [.. users.Select(u => new UserRecord((int)u.Id, u.Name, u.Owner, [.. teams[u.Id]], Col.Time(u.CreatedAt)))];
    }
}
