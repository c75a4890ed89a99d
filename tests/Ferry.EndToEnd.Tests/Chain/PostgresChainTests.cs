using Ferry.EndToEnd.Tests.Harness;

namespace Ferry.EndToEnd.Tests.Chain;

/// <summary>The hello chain on a real PostgreSQL store (<c>ferry server --db</c>), surviving a SIGKILL of the server.</summary>
public sealed class PostgresChainTests
{
    [Fact]
    public async Task Commit_FlowsThroughTheChain_OnPostgres_AndAcrossARestart()
    {
        await using var repo = await GitRepository.CreateAsync(Path.Combine(RepositoryRoot.Path, "examples", "hello", "app"));
        await using var server = await FerryServer.StartAsync(await TestPostgres.CreateDatabaseAsync());
        using var api = server.NewApi();
        var set = await server.CliAsync("set-pipeline", "-p", "hello", "-c", Path.Combine(RepositoryRoot.Path, "examples", "hello", "pipeline.yml"),
            "-v", $"repo={repo.Uri}", "--yes");
        set.ExitCode.ShouldBe(0, set.ToString());
        var first = await repo.CommitAsync("NOTES.md", "on postgres\n", "first");
        (await server.CliAsync("check", "-r", "hello/app")).ExitCode.ShouldBe(0);
        (await api.FinishedBuildForAsync(server, "hello", "package", "app", first)).ShouldBe("succeeded");

        await server.KillAsync();
        await server.StartAgainAsync();
        var second = await repo.CommitAsync("NOTES.md", "after a restart\n", "second");
        (await server.CliAsync("check", "-r", "hello/app")).ExitCode.ShouldBe(0);
        (await api.FinishedBuildForAsync(server, "hello", "package", "app", second)).ShouldBe("succeeded");
        // The repository's first commit may or may not have been checked before "first" landed (so a build of it may
        // have been killed); either way no build is left stuck by the kill.
        foreach (var job in new[] { "unit", "integration", "package" })
            (await api.BuildsAsync("hello", job)).ShouldAllBe(b => (string)b["status"]! != "pending" && (string)b["status"]! != "started");
    }
}
