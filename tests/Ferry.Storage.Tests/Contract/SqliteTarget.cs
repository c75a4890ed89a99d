using Microsoft.Data.Sqlite;

namespace Ferry.Storage.Tests.Contract;

public sealed class SqliteTarget : StoreTarget
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "ferry-storage-tests-" + Guid.NewGuid().ToString("N")[..12]);

    public override Task<TargetDatabase> CreateDatabaseAsync()
    {
        var directory = Path.Combine(_root, Guid.NewGuid().ToString("N")[..8]);
        return Task.FromResult(new TargetDatabase(directory, null));
    }

    public override Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
        return Task.CompletedTask;
    }
}
