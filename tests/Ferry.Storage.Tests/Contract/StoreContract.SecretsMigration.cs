using System.Text;
using Dapper;
using Ferry.Storage.Migrations;
using Ferry.Storage.Sql;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Ferry.Storage.Tests.Contract;

public abstract partial class StoreContract<TTarget>
{
    private const string LegacySecret = "legacy-s3cr3t-8f2a";

    [StoreFact]
    public async Task Open_SealsSecretVarsKeptInTheClear_WhenUpgradingAStoreFromBeforeMigration7()
    {
        var database = await Target.CreateDatabaseAsync();
        await using (var dialect = await DialectAsync(database))
        {
            await Migrator.ApplyAsync(dialect, [.. Migration.Embedded(dialect.MigrationsFolder).Where(m => m.Number < 7)], TimeProvider.System, CancellationToken.None);
            await using var scope = await dialect.BeginWriteAsync(CancellationToken.None);
            await scope.Connection.ExecuteAsync($$$"""
                INSERT INTO pipelines (id, name, paused, current_config, created_at, updated_at) VALUES (1, 'legacy', FALSE, 1, 0, 0);
                INSERT INTO pipeline_configs (pipeline_id, number, yaml, vars, secret_vars, created_at) VALUES (1, 1, 'jobs: []', '{"env":"test","token":"{{{LegacySecret}}}"}', '["token"]', 0);
                INSERT INTO resources (id, pipeline_id, name, type, source, config, config_hash, webhook_token, last_check_error)
                    VALUES (1, 1, 'app', 'git', '{"password":"{{{LegacySecret}}}"}', '{"name":"app","source":{"password":"{{{LegacySecret}}}"}}', 'h', '{{{LegacySecret}}}', 'denied for {{{LegacySecret}}}');
                INSERT INTO jobs (id, pipeline_id, name, config) VALUES (1, 1, 'unit', '{}');
                INSERT INTO builds (id, pipeline_id, job_id, name, status, plan, created_at, reason)
                    VALUES (1, 1, 1, '1', 'failed', '{"kind":"do","password":"{{{LegacySecret}}}"}', 0, 'clone of https://u:{{{LegacySecret}}}@git.example failed');
                INSERT INTO audit_log (pipeline_id, at, actor, action) VALUES (1, 0, 'olga', 'variable_set');
                """, transaction: scope.Transaction);
            await scope.CommitAsync(CancellationToken.None);
        }
        if (Target is SqliteTarget)
        {
            ReadDataFiles(database.DataDirectory).ShouldContain(LegacySecret, customMessage: "before the upgrade the secret is in the file (else this test shows nothing)");
        }

        var store = await OpenAsync(database);

        var config = (await store.GetPipelineConfigAsync(1))!;
        config.Vars["token"]!.GetValue<string>().ShouldBe(LegacySecret);
        config.Vars["env"]!.GetValue<string>().ShouldBe("test");
        var resource = (await store.GetResourceAsync(1, "app"))!;
        resource.Source["password"]!.GetValue<string>().ShouldBe(LegacySecret);
        resource.WebhookToken.ShouldBe(LegacySecret);
        resource.LastCheckError.ShouldBe("denied for ((redacted))");
        var build = (await store.GetBuildAsync(1))!;
        build.PlanJson.ShouldContain(LegacySecret);
        build.Reason.ShouldBe("clone of https://u:((redacted))@git.example failed");
        (await store.ListAuditLogAsync("legacy")).Single().Actor.ShouldBe("olga");
        if (Target is SqliteTarget)
        {
            await store.DisposeAsync();
            ReadDataFiles(database.DataDirectory).ShouldNotContain(LegacySecret);
        }
    }

    [StoreFact]
    public async Task SetPipeline_LeavesNoSecretInTheDatabaseFile_WhenItHasSecretVars()
    {
        if (Target is not SqliteTarget)
        {
            return;
        }
        var database = await Target.CreateDatabaseAsync();
        var store = await OpenAsync(database);
        var name = UniqueName("secret");
        var set = await store.SetPipelineAsync(SecretConfig(name));
        var job = (await store.GetJobAsync(set.PipelineId, "unit"))!;
        await store.CreateBuildAsync(new NewBuild(set.PipelineId, job.Id, $$"""{"kind":"do","id":"1","steps":[],"password":"{{Secret.Replace("\"", "\\\"", StringComparison.Ordinal)}}"}""", [], []));

        var whileOpen = ReadDataFiles(database.DataDirectory);
        await store.DisposeAsync();
        var afterClose = ReadDataFiles(database.DataDirectory);

        // The secret's start is in every form it could take (JSON escapes its '+' and '"').
        whileOpen.ShouldNotContain(Secret[..10]);
        afterClose.ShouldNotContain(Secret[..10]);
        afterClose.ShouldContain($"# {name}", customMessage: "the files are readable: the check above could fail");
    }

    private static async Task<Dialect> DialectAsync(TargetDatabase database)
    {
        if (database.Connection is { } connection)
        {
            return new PostgresDialect(new NpgsqlDataSourceBuilder(PostgresConnectionString.Parse(connection)).Build());
        }
        Directory.CreateDirectory(database.DataDirectory);
        var sqlite = new SqliteDialect(Path.Combine(database.DataDirectory, StoreFactory.SqliteFileName));
        await sqlite.InitializeAsync(CancellationToken.None);
        return sqlite;
    }

    /// <summary>The SQLite file with its WAL and shared memory, as one text (bytes as Latin-1, so any UTF-8 text is found as it is).</summary>
    private static string ReadDataFiles(string directory)
    {
        var text = new StringBuilder();
        foreach (var file in Directory.GetFiles(directory, StoreFactory.SqliteFileName + "*"))
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            text.Append(Encoding.Latin1.GetString(buffer.ToArray()));
        }
        return text.ToString();
    }
}
