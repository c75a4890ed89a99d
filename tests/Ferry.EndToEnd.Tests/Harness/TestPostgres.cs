using Npgsql;

namespace Ferry.EndToEnd.Tests.Harness;

/// <summary>
/// A fresh database on the PostgreSQL that ./test.sh starts (FERRY_TEST_POSTGRES). On CI a missing server fails the
/// test; on a developer's machine without one the test says so and fails too, since nothing can stand in for it.
/// </summary>
internal static class TestPostgres
{
    public static async Task<string> CreateDatabaseAsync()
    {
        var admin = Environment.GetEnvironmentVariable("FERRY_TEST_POSTGRES")
            ?? throw new InvalidOperationException("FERRY_TEST_POSTGRES is not set: run the tests through ./test.sh, which starts PostgreSQL");
        var name = "ferry_e2e_" + Guid.NewGuid().ToString("N")[..12];
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }
        return new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString;
    }
}
