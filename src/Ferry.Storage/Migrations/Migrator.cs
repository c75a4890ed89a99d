using Dapper;
using Ferry.Storage.Sql;

namespace Ferry.Storage.Migrations;

/// <summary>
/// Applies the migrations a database has not seen yet, each in its own transaction together with its row in
/// <c>schema_migrations</c>: a failing script leaves no trace and the next start tries it again.
/// </summary>
internal static class Migrator
{
    private const string CreateTable =
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)";

    /// <param name="dataSteps">
    /// Code that a migration's data needs beyond SQL (encrypting values with a key only the process has), by migration
    /// number: it runs after that migration's script, in the same transaction.
    /// </param>
    public static async Task<IReadOnlyList<int>> ApplyAsync(Dialect dialect, IReadOnlyList<Migration> migrations, TimeProvider clock, CancellationToken cancellationToken,
        IReadOnlyDictionary<int, Func<WriteScope, CancellationToken, Task>>? dataSteps = null)
    {
        var applied = new List<int>();
        foreach (var migration in migrations)
        {
            await using var scope = await dialect.BeginWriteAsync(cancellationToken);
            var connection = scope.Connection;
            if (dialect.Kind == StoreDialect.Postgres)
            {
                // Two nodes starting together: the second waits here, then sees the first one's rows.
                await connection.ExecuteAsync(new CommandDefinition(
                    "SELECT pg_advisory_xact_lock(hashtextextended('ferry:migrations', 0))", transaction: scope.Transaction, cancellationToken: cancellationToken));
            }
            await connection.ExecuteAsync(new CommandDefinition(CreateTable, transaction: scope.Transaction, cancellationToken: cancellationToken));
            var done = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT COUNT(*) FROM schema_migrations WHERE version = @Number", new { migration.Number }, scope.Transaction, cancellationToken: cancellationToken));
            if (done > 0)
            {
                continue;
            }
            try
            {
                await connection.ExecuteAsync(new CommandDefinition(migration.Sql, transaction: scope.Transaction, cancellationToken: cancellationToken));
                if (dataSteps?.GetValueOrDefault(migration.Number) is { } step)
                {
                    await step(scope, cancellationToken);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                throw new StoreException($"applying migration {migration.Number:D4}_{migration.Name} ({dialect.Kind}): {e.Message}", e);
            }
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@Number, @Name, @At)",
                new { migration.Number, migration.Name, At = clock.GetUtcNow().ToUnixTimeMilliseconds() }, scope.Transaction, cancellationToken: cancellationToken));
            await scope.CommitAsync(cancellationToken);
            applied.Add(migration.Number);
        }
        return applied;
    }
}
