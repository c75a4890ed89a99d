using Ferry.EndToEnd.Tests.Harness;

namespace Ferry.EndToEnd.Tests.Secrets;

/// <summary>A var given with --secret-var reaches the task, but never a build log or the API.</summary>
public sealed class SecretVarTests
{
    private const string Pipeline = """
        resources:
          - name: app
            type: git
            check_every: never
            source: { uri: ((repo)), branch: main }
        jobs:
          - name: deploy
            plan:
              - get: app
                trigger: true
              - task: use-token
                config:
                  platform: linux
                  params: { TOKEN: ((token)) }
                  run: { path: sh, args: [-c, "echo token is $TOKEN; test ${#TOKEN} -eq 17"] }
        """;

    [Fact]
    public async Task SecretVar_IsRedactedFromTheLog_AndNeverReturned()
    {
        await using var repo = await GitRepository.CreateAsync();
        var commit = await repo.CommitAsync("NOTES.md", "v1\n", "first");
        await using var server = await FerryServer.StartAsync();
        using var api = server.NewApi();
        var file = Path.Combine(server.DataDirectory, "secret.yml");
        await File.WriteAllTextAsync(file, Pipeline);
        var set = await server.CliAsync("set-pipeline", "-p", "secret", "-c", file, "-v", $"repo={repo.Uri}", "--secret-var", "token=hunter2-very-long", "--yes");
        set.ExitCode.ShouldBe(0, set.ToString());
        set.Output.ShouldNotContain("hunter2");
        (await server.CliAsync("check", "-r", "secret/app")).ExitCode.ShouldBe(0);

        (await api.FinishedBuildForAsync(server, "secret", "deploy", "app", commit)).ShouldBe("succeeded", "the task got the 17-character value");
        var log = await server.CliAsync("watch", "-j", "secret/deploy");
        log.Output.ShouldContain("token is ((redacted))");
        log.Output.ShouldNotContain("hunter2");
        (await api.GetAsync("pipelines/secret")).ToJsonString().ShouldNotContain("hunter2");
        (await server.CliAsync("get-pipeline", "-p", "secret")).Output.ShouldNotContain("hunter2");
    }
}
