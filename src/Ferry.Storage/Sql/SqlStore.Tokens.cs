using System.Security.Cryptography;
using Dapper;

namespace Ferry.Storage.Sql;

internal sealed partial class SqlStore
{
    // A token's last use is worth knowing to the minute, not worth a write on every request.
    private const long LastUsedResolutionMs = 60_000;

    private sealed class TokenRow
    {
        public long Id { get; set; }
        public string User { get; set; } = "";
        public string? Label { get; set; }
        public long CreatedAt { get; set; }
        public long? LastUsedAt { get; set; }
        public string? Worker { get; set; }
        public string? CreatedBy { get; set; }

        public ApiTokenRecord ToRecord() => new(Id, User, Label, Col.Time(CreatedAt), Col.Time(LastUsedAt), Worker, CreatedBy);
    }

    private sealed class WorkerTokenRow
    {
        public string? Worker { get; set; }
        public long? LastUsedAt { get; set; }
    }

    private sealed class TokenUseRow
    {
        public long UserId { get; set; }
        public long? LastUsedAt { get; set; }
    }

    private const string TokenSelect = "SELECT t.id, COALESCE(u.name, '') AS \"user\", t.label, t.created_at, t.last_used_at, t.worker, t.created_by FROM api_tokens t LEFT JOIN users u ON u.id = t.user_id";

    public Task<NewApiToken> CreateApiTokenAsync(string user, string? label = null, CancellationToken cancellationToken = default) =>
        WriteAsync(async scope =>
        {
            var userId = await scope.Connection.ExecuteScalarAsync<long?>(Cmd(scope, "SELECT id FROM users WHERE name = @user", new { user }, cancellationToken))
                ?? throw new StoreException($"creating an API token: no user '{user}'");
            return await InsertTokenAsync(scope, userId, user, label, cancellationToken);
        }, cancellationToken);

    public Task<NewApiToken> CreateWorkerTokenAsync(string worker, string createdBy, string? label = null, CancellationToken cancellationToken = default) =>
        WriteAsync(async scope =>
        {
            var token = NewTokenText();
            var id = await scope.Connection.ExecuteScalarAsync<long>(Cmd(scope,
                "INSERT INTO api_tokens (worker, created_by, token_sha, label, created_at) VALUES (@worker, @createdBy, @sha, @label, @now) RETURNING id",
                new { worker, createdBy, sha = Col.Sha(token), label, now = Now }, cancellationToken));
            return new NewApiToken(id, "", token, worker);
        }, cancellationToken);

    public async Task<string?> AuthenticateWorkerTokenAsync(string token, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(token))
            return null;
        var sha = Col.Sha(token);
        var found = await ReadAsync(c => c.QuerySingleOrDefaultAsync<WorkerTokenRow>(Cmd(
            "SELECT worker, last_used_at FROM api_tokens WHERE token_sha = @sha AND worker IS NOT NULL", new { sha }, cancellationToken)), cancellationToken);
        if (found is not { Worker: not null } worker)
            return null;
        var now = Now;
        if (worker.LastUsedAt is null || now - worker.LastUsedAt >= LastUsedResolutionMs)
        {
            await WriteAsync(scope => scope.Connection.ExecuteAsync(Cmd(scope,
                "UPDATE api_tokens SET last_used_at = @now WHERE token_sha = @sha", new { now, sha }, cancellationToken)), cancellationToken);
        }
        return worker.Worker;
    }

    private static string NewTokenText() =>
        "ferry_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private async Task<NewApiToken> InsertTokenAsync(WriteScope scope, long userId, string user, string? label, CancellationToken cancellationToken)
    {
        var token = NewTokenText();
        var id = await scope.Connection.ExecuteScalarAsync<long>(Cmd(scope,
            "INSERT INTO api_tokens (user_id, token_sha, label, created_at) VALUES (@userId, @sha, @label, @now) RETURNING id",
            new { userId, sha = Col.Sha(token), label, now = Now }, cancellationToken));
        return new NewApiToken(id, user, token);
    }

    public async Task<UserRecord?> AuthenticateTokenAsync(string token, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }
        var sha = Col.Sha(token);
        var (user, lastUsed) = await ReadAsync(async c =>
        {
            var found = await c.QuerySingleOrDefaultAsync<TokenUseRow>(Cmd(
                "SELECT user_id, last_used_at FROM api_tokens WHERE token_sha = @sha AND user_id IS NOT NULL", new { sha }, cancellationToken));
            return found is null
                ? (null, null)
                : ((await LoadUsersAsync(c, null, "u.id = @id", new { id = found.UserId }, cancellationToken)).FirstOrDefault(), found.LastUsedAt);
        }, cancellationToken);
        var now = Now;
        if (user is not null && (lastUsed is null || now - lastUsed >= LastUsedResolutionMs))
        {
            await WriteAsync(scope => scope.Connection.ExecuteAsync(Cmd(scope,
                "UPDATE api_tokens SET last_used_at = @now WHERE token_sha = @sha", new { now, sha }, cancellationToken)), cancellationToken);
        }
        return user;
    }

    public Task<IReadOnlyList<ApiTokenRecord>> ListApiTokensAsync(string? user = null, CancellationToken cancellationToken = default) =>
        ReadAsync<IReadOnlyList<ApiTokenRecord>>(async c => [.. (await c.QueryAsync<TokenRow>(Cmd(
            $"{TokenSelect} WHERE (@user IS NULL OR u.name = @user) ORDER BY t.id", new { user }, cancellationToken))).Select(r => r.ToRecord())],
            cancellationToken);

    public Task<ApiTokenRecord?> GetApiTokenAsync(long tokenId, CancellationToken cancellationToken = default) =>
        ReadAsync(async c => (await c.QuerySingleOrDefaultAsync<TokenRow>(Cmd(
            $"{TokenSelect} WHERE t.id = @tokenId", new { tokenId }, cancellationToken)))?.ToRecord(), cancellationToken);

    public Task<bool> RevokeApiTokenAsync(long tokenId, CancellationToken cancellationToken = default) =>
        WriteAsync(async scope => await scope.Connection.ExecuteAsync(Cmd(scope, "DELETE FROM api_tokens WHERE id = @tokenId", new { tokenId }, cancellationToken)) > 0,
            cancellationToken);
}
