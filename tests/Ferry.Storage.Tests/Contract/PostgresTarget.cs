using Npgsql;

namespace Ferry.Storage.Tests.Contract;

/// <summary>A database with a random name on the server FERRY_TEST_POSTGRES points at, dropped at the end.</summary>
public sealed class PostgresTarget : StoreTarget
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly string _dataRoot = Path.Combine(Path.GetTempPath(), "ferry-pg-data-" + Guid.NewGuid().ToString("N")[..12]);
    private string? _database;

    public static string? AdminConnection => Environment.GetEnvironmentVariable("FERRY_TEST_POSTGRES") is { Length: > 0 } value ? value : null;

    private static bool OnCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Null when the tests must run: the server is configured, or this is CI (where they then fail).</summary>
    public static string? SkipReason => AdminConnection is null && !OnCi
        ? "FERRY_TEST_POSTGRES is not set: PostgreSQL contract tests skipped locally (./test.sh starts a server; on CI they fail instead)"
        : null;

    /// <summary>
    /// The class's own database is created once (CREATE DATABASE costs most of a second); every further fresh
    /// database is an empty schema in it, reached through the connection string's search path.
    /// </summary>
    public override async Task<TargetDatabase> CreateDatabaseAsync()
    {
        var admin = AdminConnection ?? throw new InvalidOperationException(
            "FERRY_TEST_POSTGRES is not set, and CI=true requires the PostgreSQL contract tests to run (set it to a server's connection string)");
        await _gate.WaitAsync();
        try
        {
            if (_database is null)
            {
                var name = "ferry_test_" + Guid.NewGuid().ToString("N")[..16];
                await ExecuteAsync(admin, $"CREATE DATABASE {name}");
                _database = new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString;
            }
        }
        finally
        {
            _gate.Release();
        }
        var schema = "s_" + Guid.NewGuid().ToString("N")[..12];
        await ExecuteAsync(_database, $"CREATE SCHEMA {schema}");
        // The data directory still matters with PostgreSQL: the secrets key file lives there.
        return new TargetDatabase(Path.Combine(_dataRoot, schema), new NpgsqlConnectionStringBuilder(_database) { SearchPath = schema }.ConnectionString);
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public override async Task DisposeAsync()
    {
        if (Directory.Exists(_dataRoot))
        {
            Directory.Delete(_dataRoot, recursive: true);
        }
        if (AdminConnection is not { } admin || _database is null)
        {
            return;
        }
        NpgsqlConnection.ClearAllPools();
        var name = new NpgsqlConnectionStringBuilder(_database).Database;
        await ExecuteAsync(admin, $"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
    }
}
