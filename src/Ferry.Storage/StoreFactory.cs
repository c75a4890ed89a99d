using Ferry.Storage.Migrations;
using Ferry.Storage.Sql;
using Npgsql;

namespace Ferry.Storage;

/// <summary>Opens the store a server was told to use and brings its schema up to date.</summary>
public static class StoreFactory
{
    /// <summary>The SQLite file under the data directory.</summary>
    public const string SqliteFileName = "ferry.db";

    /// <summary>
    /// SQLite at <c>&lt;dataDirectory&gt;/ferry.db</c> when <paramref name="connection"/> is null or empty; PostgreSQL when it is
    /// a connection string (<c>Host=…;Database=…</c>) or a URL (<c>postgres://user:pass@host:port/db</c>).
    /// Runs the migrations the database has not seen yet.
    /// </summary>
    public static async Task<IStore> OpenAsync(string dataDirectory, string? connection, TimeProvider? clock = null, CancellationToken cancellationToken = default)
    {
        clock ??= TimeProvider.System;
        Dialect dialect = string.IsNullOrWhiteSpace(connection)
            ? await OpenSqliteAsync(dataDirectory, cancellationToken)
            : OpenPostgres(connection);
        try
        {
            await Migrator.ApplyAsync(dialect, Migration.Embedded(dialect.MigrationsFolder), clock, cancellationToken);
        }
        catch
        {
            await dialect.DisposeAsync();
            throw;
        }
        return new SqlStore(dialect, clock, new Environments.SecretBox(dataDirectory));
    }

    /// <inheritdoc cref="OpenAsync"/>
    public static IStore Open(string dataDirectory, string? connection) =>
        OpenAsync(dataDirectory, connection).GetAwaiter().GetResult();

    private static async Task<Dialect> OpenSqliteAsync(string dataDirectory, CancellationToken cancellationToken)
    {
        var directory = Path.GetFullPath(string.IsNullOrWhiteSpace(dataDirectory) ? ".ferry" : dataDirectory);
        try
        {
            Directory.CreateDirectory(directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StoreException($"opening the SQLite store: cannot create the data directory {directory}: {e.Message}", e);
        }
        var dialect = new SqliteDialect(Path.Combine(directory, SqliteFileName));
        await dialect.InitializeAsync(cancellationToken);
        return dialect;
    }

    private static PostgresDialect OpenPostgres(string connection) =>
        new(new NpgsqlDataSourceBuilder(PostgresConnectionString.Parse(connection)).Build());
}
