using Microsoft.Data.Sqlite;

namespace Ferry.Storage.Tests;

public class SqliteRuntimeTests
{
    [Fact]
    public void Open_RunsSql_WhenTheNativeLibraryLoads()
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "select sqlite_version()";
        var version = (string)command.ExecuteScalar()!;
        version.ShouldStartWith("3.");
    }
}
