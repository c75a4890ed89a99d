namespace Ferry.Storage.Tests.Contract;

/// <summary>Where a contract test class keeps its databases; every database it made is removed on dispose.</summary>
public abstract class StoreTarget : IAsyncLifetime
{
    private TargetDatabase? _shared;

    /// <summary>The class's own database, shared by its tests (they use names of their own).</summary>
    public async Task<TargetDatabase> SharedAsync() => _shared ??= await CreateDatabaseAsync();

    /// <summary>A new, empty database, for tests that see every row (claims, recovery, migrations).</summary>
    public abstract Task<TargetDatabase> CreateDatabaseAsync();

    public Task<IStore> OpenAsync(TargetDatabase database, TimeProvider? clock = null, Keys.MasterKey? masterKey = null) =>
        StoreFactory.OpenAsync(database.DataDirectory, database.Connection, clock, masterKey: masterKey);

    public Task InitializeAsync() => Task.CompletedTask;

    public abstract Task DisposeAsync();
}

/// <summary>A data directory (SQLite) or a connection string (PostgreSQL), as the server would get them.</summary>
public sealed record TargetDatabase(string DataDirectory, string? Connection);
