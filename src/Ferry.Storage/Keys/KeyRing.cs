using System.Security.Cryptography;
using Dapper;
using Ferry.Storage.Environments;
using Ferry.Storage.Sql;

namespace Ferry.Storage.Keys;

/// <summary>
/// The key ring's secrets key: the first node that opens the store with a master key puts it there (the data
/// directory's <c>secrets.key</c> when there is one, so the secrets already sealed with it still open; else a new
/// key), and every node unwraps the same one.
/// </summary>
internal static class KeyRing
{
    public const string SecretsEntry = "secrets";
    public const string ProtectionPrefix = "data-protection:";

    public static async Task LoadSecretsKeyAsync(Dialect dialect, MasterKey master, SecretBox secrets, TimeProvider clock, CancellationToken cancellationToken)
    {
        var wrapped = await ReadAsync(dialect, cancellationToken);
        if (wrapped is null)
        {
            var key = secrets.ReadFileKey() ?? RandomNumberGenerator.GetBytes(32);
            await using var scope = await dialect.BeginWriteAsync(cancellationToken);
            // Two nodes starting at once: the first key wins, the other reads it below.
            await scope.Connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO key_ring (name, purpose, wrapped, created_at) VALUES (@name, 'secrets', @wrapped, @now) ON CONFLICT (name) DO NOTHING",
                new { name = SecretsEntry, wrapped = master.Wrap(key, SecretsEntry), now = clock.GetUtcNow().ToUnixTimeMilliseconds() },
                scope.Transaction, cancellationToken: cancellationToken));
            await scope.CommitAsync(cancellationToken);
            wrapped = await ReadAsync(dialect, cancellationToken)
                ?? throw new StoreException("the key ring has no secrets key after it was written");
        }
        secrets.UseKey(master.Unwrap(wrapped, SecretsEntry), $"the key ring's secrets key (master key from {master.Source})");
    }

    private static async Task<string?> ReadAsync(Dialect dialect, CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT wrapped FROM key_ring WHERE name = @name", new { name = SecretsEntry }, cancellationToken: cancellationToken));
    }
}
