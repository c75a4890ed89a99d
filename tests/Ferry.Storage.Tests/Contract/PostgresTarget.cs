using Npgsql;

namespace Ferry.Storage.Tests.Contract;

/// <summary>Databases with random names on the server FERRY_TEST_POSTGRES points at, dropped at the end.</summary>
public sealed class PostgresTarget : StoreTarget
{
    private readonly List<string> _created = [];

    public static string? AdminConnection => Environment.GetEnvironmentVariable("FERRY_TEST_POSTGRES") is { Length: > 0 } value ? value : null;

    private static bool OnCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Null when the tests must run: the server is configured, or this is CI (where they then fail).</summary>
    public static string? SkipReason => AdminConnection is null && !OnCi
        ? "FERRY_TEST_POSTGRES is not set: PostgreSQL contract tests skipped locally (./test.sh starts a server; on CI they fail instead)"
        : null;

    public override async Task<TargetDatabase> CreateDatabaseAsync()
    {
        var admin = AdminConnection ?? throw new InvalidOperationException(
            "FERRY_TEST_POSTGRES is not set, and CI=true requires the PostgreSQL contract tests to run (set it to a server's connection string)");
        var name = "ferry_test_" + Guid.NewGuid().ToString("N")[..16];
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }
        lock (_created)
        {
            _created.Add(name);
        }
        return new TargetDatabase("", new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString);
    }

    public override async Task DisposeAsync()
    {
        if (AdminConnection is not { } admin || _created.Count == 0)
        {
            return;
        }
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(admin);
        await connection.OpenAsync();
        foreach (var name in _created)
        {
            await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", connection);
            await command.ExecuteNonQueryAsync();
        }
    }
}
