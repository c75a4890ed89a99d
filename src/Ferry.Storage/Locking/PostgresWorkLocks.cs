using Npgsql;

namespace Ferry.Storage.Locking;

/// <summary>
/// Session advisory locks: the lock lives as long as the connection that took it, so a node that dies
/// releases its locks with its connections. The key text is hashed by PostgreSQL (<c>hashtextextended</c>).
/// </summary>
internal sealed class PostgresWorkLocks(NpgsqlDataSource dataSource) : IWorkLocks
{
    public async Task<IAsyncDisposable?> TryAcquireAsync(string key, CancellationToken cancellationToken = default)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock(hashtextextended(@key, 0))", connection);
            command.Parameters.AddWithValue("key", key);
            if ((bool)(await command.ExecuteScalarAsync(cancellationToken))!)
            {
                return new AdvisoryLock(connection, key);
            }
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
        await connection.DisposeAsync();
        return null;
    }

    private sealed class AdvisoryLock(NpgsqlConnection connection, string key) : IAsyncDisposable
    {
        private int _released;

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _released, 1) != 0)
            {
                return;
            }
            try
            {
                // Unlock before the connection returns to the pool, or the pooled session would keep holding it.
                await using var command = new NpgsqlCommand("SELECT pg_advisory_unlock(hashtextextended(@key, 0))", connection);
                command.Parameters.AddWithValue("key", key);
                await command.ExecuteScalarAsync();
            }
            finally
            {
                await connection.DisposeAsync();
            }
        }
    }
}
