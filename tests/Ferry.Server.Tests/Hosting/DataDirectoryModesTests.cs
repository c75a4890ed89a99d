using Ferry.Storage;

namespace Ferry.Server.Tests.Hosting;

/// <summary>The data directory is the server's OS user's alone: 0700, and the files Ferry creates in it 0600.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class DataDirectoryModesTests
{
    [Fact]
    public async Task Server_CreatesItsDataDirectory0700_AndItsFiles0600()
    {
        var data = Path.Combine(Path.GetTempPath(), "ferry-modes-tests-" + Guid.NewGuid().ToString("N")[..12], "data");
        var host = await FerryHost.StartAsync(o => o with { DataDirectory = data });
        try
        {
            // A secret var makes the secrets key; a page with a form makes the antiforgery keys.
            using var set = await host.Http.PutAsync("/api/v1/pipelines/modes/config", FerryHost.Json(new System.Text.Json.Nodes.JsonObject
            {
                ["config"] = Pipelines.Hello,
                ["secretVars"] = new System.Text.Json.Nodes.JsonObject { ["hook"] = "webhook-secret" },
            }));
            set.IsSuccessStatusCode.ShouldBeTrue(await set.Content.ReadAsStringAsync());
            (await host.Http.GetAsync("/sign-in")).EnsureSuccessStatusCode();
            // An open connection keeps the -wal and -shm files there (other tests' stores clear every pool when they close).
            using var reader = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(data, StoreFactory.SqliteFileName)};Pooling=False");
            reader.Open();
            using (var command = reader.CreateCommand())
            {
                command.CommandText = "SELECT COUNT(*) FROM pipelines";
                command.ExecuteScalar();
            }

            File.GetUnixFileMode(data).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            File.GetUnixFileMode(Path.Combine(data, "keys")).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            string[] files =
            [
                StoreFactory.SqliteFileName, StoreFactory.SqliteFileName + "-wal", StoreFactory.SqliteFileName + "-shm", "secrets.key", DataDirectoryLock.FileName,
                .. Directory.GetFiles(Path.Combine(data, "keys")).Select(f => Path.Combine("keys", Path.GetFileName(f))),
            ];
            files.Length.ShouldBeGreaterThan(5, "the antiforgery keys were written");
            foreach (var file in files)
            {
                File.GetUnixFileMode(Path.Combine(data, file)).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite, file);
            }
        }
        finally
        {
            await host.DisposeAsync();
            Directory.Delete(Path.GetDirectoryName(data)!, recursive: true);
        }
    }
}
