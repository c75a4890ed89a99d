using Ferry.Storage.Sql;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Ferry.Storage.Tests;

public class StoreFactoryTests
{
    [Fact]
    public async Task OpenAsync_CreatesFerryDbInWalMode_WhenNoConnectionIsGiven()
    {
        var directory = Path.Combine(Path.GetTempPath(), "ferry-factory-" + Guid.NewGuid().ToString("N")[..8], "nested");
        try
        {
            await using (var store = await StoreFactory.OpenAsync(directory, null))
            {
                store.Dialect.ShouldBe(StoreDialect.Sqlite);
            }
            var file = Path.Combine(directory, StoreFactory.SqliteFileName);
            File.Exists(file).ShouldBeTrue();
            await using var connection = new SqliteConnection($"Data Source={file}");
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA journal_mode";
            ((string)(await command.ExecuteScalarAsync())!).ShouldBe("wal");
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(Path.GetDirectoryName(directory)!, recursive: true);
        }
    }

    [Fact]
    public void Parse_ReadsUserPasswordHostPortDatabaseAndOptions_FromAPostgresUrl()
    {
        var parsed = new NpgsqlConnectionStringBuilder(PostgresConnectionString.Parse("postgres://ferry:s%40cret@db.local:6543/ci?sslmode=disable"));

        parsed.Host.ShouldBe("db.local");
        parsed.Port.ShouldBe(6543);
        parsed.Username.ShouldBe("ferry");
        parsed.Password.ShouldBe("s@cret");
        parsed.Database.ShouldBe("ci");
        parsed.SslMode.ShouldBe(SslMode.Disable);
    }

    [Fact]
    public void Parse_KeepsAKeyValueConnectionString_AsGiven()
    {
        var parsed = new NpgsqlConnectionStringBuilder(PostgresConnectionString.Parse("Host=127.0.0.1;Port=5433;Database=ferry;Username=ci"));
        parsed.Host.ShouldBe("127.0.0.1");
        parsed.Port.ShouldBe(5433);
        parsed.Database.ShouldBe("ferry");
    }

    [Theory]
    [InlineData("postgres://", "not a valid")]
    [InlineData("postgres://h/db?frobnicate=1", "unknown option 'frobnicate'")]
    [InlineData("Hostt=x", "expected Host=")]
    public void Parse_ThrowsAClearError_WhenTheConnectionIsMalformed(string connection, string expected) =>
        Should.Throw<StoreException>(() => PostgresConnectionString.Parse(connection)).Message.ShouldContain(expected);
}
