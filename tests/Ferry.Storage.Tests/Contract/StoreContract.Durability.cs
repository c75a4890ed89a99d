using Ferry.Core.Builds;
using Ferry.Storage.Migrations;
using Ferry.Storage.Sql;

namespace Ferry.Storage.Tests.Contract;

public abstract partial class StoreContract<TTarget>
{
    [StoreFact]
    public async Task Open_KeepsEverythingAcknowledged_WhenStoreIsReopened()
    {
        var database = await Target.CreateDatabaseAsync();
        var first = await OpenAsync(database);
        var pipeline = await NewPipelineAsync(first, ["app"], ["unit"]);
        var version = (await first.SaveVersionsAsync(pipeline.Resources["app"], [V("a")]))[0];
        var build = await first.CreateBuildAsync(JobBuild(pipeline, "unit", [new("app", pipeline.Resources["app"], version.Id, true)]));
        await first.AppendEventsAsync(build.Id, [new(0, 0, DateTimeOffset.UtcNow, BuildEventType.Log, "s", LogStream.Stdout, "kept\n")]);
        await first.DisposeAsync();

        var second = await OpenAsync(database);

        (await second.GetPipelineAsync(pipeline.Name)).ShouldNotBeNull();
        (await second.GetLatestVersionAsync(pipeline.Resources["app"]))!.Id.ShouldBe(version.Id);
        (await second.GetBuildAsync(build.Id))!.Status.ShouldBe(BuildStatus.Pending);
        (await second.ReadEventsAsync(build.Id)).ShouldHaveSingleItem().Text.ShouldBe("kept\n");
        var next = await second.CreateBuildAsync(JobBuild(pipeline, "unit"));
        next.Id.ShouldBeGreaterThan(build.Id);
        next.Name.ShouldBe("2");
    }

    [StoreFact]
    public async Task Open_AppliesMigrationsOnce_WhenOpenedAgain()
    {
        var database = await Target.CreateDatabaseAsync();
        var first = (SqlStore)await OpenAsync(database);
        var applied = await CountMigrationsAsync(first);
        await first.DisposeAsync();

        var second = (SqlStore)await OpenAsync(database);

        applied.ShouldBe(Migration.Embedded(second.SqlDialect.MigrationsFolder).Count);
        (await CountMigrationsAsync(second)).ShouldBe(applied);
        (await Migrator.ApplyAsync(second.SqlDialect, Migration.Embedded(second.SqlDialect.MigrationsFolder), TimeProvider.System, default)).ShouldBeEmpty();
    }

    [StoreFact]
    public async Task ApplyMigrations_RollsBackTheWholeScript_WhenAStatementFails()
    {
        var store = (SqlStore)await OpenFreshAsync();
        var dialect = store.SqlDialect;
        var broken = new Migration(9001, "broken", "CREATE TABLE half_done (id INTEGER); INSERT INTO no_such_table VALUES (1);");

        var error = await Should.ThrowAsync<StoreException>(() => Migrator.ApplyAsync(dialect, [broken], TimeProvider.System, default));

        error.Message.ShouldContain("9001_broken");
        (await TableExistsAsync(store, "half_done")).ShouldBeFalse();
        (await CountMigrationsAsync(store, 9001)).ShouldBe(0);

        var fixedOne = broken with { Sql = "CREATE TABLE half_done (id INTEGER);" };
        (await Migrator.ApplyAsync(dialect, [fixedOne], TimeProvider.System, default)).ShouldBe([9001]);
        (await TableExistsAsync(store, "half_done")).ShouldBeTrue();
    }

    [StoreFact]
    public async Task Locks_RefuseASecondHolder_UntilReleased()
    {
        var database = await Target.CreateDatabaseAsync();
        var store = await OpenAsync(database);
        // Two stores on one PostgreSQL database stand for two server nodes; SQLite serves one process.
        var other = store.Dialect == StoreDialect.Postgres ? await OpenAsync(database) : store;

        var held = await store.Locks.TryAcquireAsync("check:1");
        held.ShouldNotBeNull();
        (await other.Locks.TryAcquireAsync("check:1")).ShouldBeNull();
        await using (var unrelated = await other.Locks.TryAcquireAsync("check:2"))
        {
            unrelated.ShouldNotBeNull();
        }

        await held.DisposeAsync();
        await using var again = await other.Locks.TryAcquireAsync("check:1");
        again.ShouldNotBeNull();
    }

    private static async Task<long> CountMigrationsAsync(SqlStore store, int? number = null)
    {
        await using var connection = await store.SqlDialect.OpenAsync(default);
        await using var command = connection.CreateCommand();
        command.CommandText = number is null ? "SELECT COUNT(*) FROM schema_migrations" : $"SELECT COUNT(*) FROM schema_migrations WHERE version = {number}";
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<bool> TableExistsAsync(SqlStore store, string table)
    {
        await using var connection = await store.SqlDialect.OpenAsync(default);
        await using var command = connection.CreateCommand();
        command.CommandText = store.Dialect == StoreDialect.Sqlite
            ? $"SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '{table}'"
            : $"SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = '{table}'";
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture) > 0;
    }
}
