using Ferry.Storage.Migrations;
using Ferry.Storage.Secrets;
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
    /// <param name="masterKey">
    /// When given, the secrets key and the UI's keys live in the database's key ring, wrapped by it, so every node
    /// given the same key shares them; else they are files in the data directory, this node's alone.
    /// </param>
    public static async Task<IStore> OpenAsync(string dataDirectory, string? connection, TimeProvider? clock = null, CancellationToken cancellationToken = default,
        Keys.MasterKey? masterKey = null)
    {
        clock ??= TimeProvider.System;
        Dialect dialect = string.IsNullOrWhiteSpace(connection)
            ? await OpenSqliteAsync(dataDirectory, cancellationToken)
            : OpenPostgres(connection);
        var secrets = new Environments.SecretBox(dataDirectory);
        try
        {
            var sealedRows = 0;
            await Migrator.ApplyAsync(dialect, Migration.Embedded(dialect.MigrationsFolder), clock, cancellationToken, new Dictionary<int, Func<WriteScope, CancellationToken, Task>>
            {
                [SealExistingSecrets.Migration] = async (scope, ct) => sealedRows = await SealExistingSecrets.RunAsync(scope, secrets, ct),
            });
            if (sealedRows > 0 && dialect is SqliteDialect sqlite)
            {
                await sqlite.CompactAsync(cancellationToken);
            }
            if (masterKey is not null)
            {
                await Keys.KeyRing.LoadSecretsKeyAsync(dialect, masterKey, secrets, clock, cancellationToken);
            }
        }
        catch
        {
            await dialect.DisposeAsync();
            throw;
        }
        var store = new SqlStore(dialect, clock, secrets, masterKey);
        if (dialect is PostgresDialect postgres)
        {
            try
            {
                await store.ListenAcrossNodesAsync(postgres.DataSource, cancellationToken);
            }
            catch
            {
                await store.DisposeAsync();
                throw;
            }
        }
        return store;
    }

    /// <inheritdoc cref="OpenAsync"/>
    public static IStore Open(string dataDirectory, string? connection) =>
        OpenAsync(dataDirectory, connection).GetAwaiter().GetResult();

    private static async Task<Dialect> OpenSqliteAsync(string dataDirectory, CancellationToken cancellationToken)
    {
        string directory;
        try
        {
            directory = DataFiles.CreateDirectory(dataDirectory);
        }
        catch (StoreException e)
        {
            throw new StoreException($"opening the SQLite store: {e.Message}", e);
        }
        var path = Path.Combine(directory, SqliteFileName);
        // Created 0600 before SQLite opens it, so its -wal and -shm get the same mode; older files are made so.
        DataFiles.CreatePrivateFile(path);
        DataFiles.MakePrivate(path + "-wal");
        DataFiles.MakePrivate(path + "-shm");
        var dialect = new SqliteDialect(path);
        await dialect.InitializeAsync(cancellationToken);
        return dialect;
    }

    private static PostgresDialect OpenPostgres(string connection) =>
        new(new NpgsqlDataSourceBuilder(PostgresConnectionString.Parse(connection)).Build());
}
