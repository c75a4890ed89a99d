using System.Text.Json.Nodes;

namespace Ferry.Cli.Tests.Verbs;

/// <summary>
/// <c>promote --watch</c> against a whole server (loops on): a commit becomes release r1, development takes it by
/// itself, and production's promotion build runs its deploy and verify tasks for real. In the CLI server collection
/// (though with a server of its own) so no other test's FERRY_TOKEN reaches it.
/// </summary>
[Collection(CliServerCollection.Name)]
public sealed class PromoteWatchTests : IAsyncLifetime
{
    private const string Pipeline = """
        resources:
          - name: app
            type: git
            check_every: 1s
            source: { uri: ((repo)), branch: main }
        jobs:
          - name: unit
            plan:
              - get: app
                trigger: true
        environments:
          - name: development
            release: [app]
            from: [unit]
            promote: auto
            deploy:
              - task: deploy
                config: { platform: linux, run: { path: "true" } }
          - name: production
            from: [development]
            promote: manual
            deploy:
              - task: deploy
                config: { platform: linux, run: { path: sh, args: [-ec, 'echo "deploying $FERRY_RELEASE to $FERRY_ENVIRONMENT"'] } }
            verify:
              - task: smoke
                config: { platform: linux, run: { path: sh, args: [-ec, 'test "${BROKEN:-no}" = no || { echo "smoke test failed"; exit 1; }'] } }
        """;

    private readonly CliServer _server = new(runLoops: true);
    private readonly GitRepo _repo = new();

    public Task InitializeAsync() => _server.InitializeAsync();

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _repo.Dispose();
    }

    [Fact]
    public async Task PromoteWatch_FollowsTheBuildAndExitsWithThePromotionsResult_WhenVerifyFailsThenPasses()
    {
        _repo.Commit("greeting.txt", "hello\n", "Say hello");
        var file = await _server.WriteFileAsync("watch.yml", Pipeline);
        (await _server.RunAsync(["set-pipeline", "-p", "watch", "-c", file, "-v", $"repo={_repo.Path}", "--yes"])).Exit.ShouldBe(0);
        await VerifiedInDevelopmentAsync("r1");
        (await _server.RunAsync(["set-variable", "-p", "watch", "-e", "production", "BROKEN", "yes"])).Exit.ShouldBe(0);

        var failed = await _server.RunAsync(["promote", "-p", "watch", "-e", "production", "--watch"]);

        failed.Exit.ShouldBe(1, failed.Out + failed.Err);
        failed.Out.ShouldContain("deploying r1 to production");
        failed.Out.ShouldContain("smoke test failed");
        failed.Out.TrimEnd().Split(Environment.NewLine)[^1].ShouldStartWith("promotion ");
        failed.Out.TrimEnd().ShouldContain("r1 to production, failed");

        (await _server.RunAsync(["unset-variable", "-p", "watch", "-e", "production", "BROKEN"])).Exit.ShouldBe(0);
        var succeeded = await _server.RunAsync(["promote", "-p", "watch", "-e", "production", "--release", "r1", "--watch"]);

        succeeded.Exit.ShouldBe(0, succeeded.Out + succeeded.Err);
        succeeded.Out.ShouldContain("--- task smoke");
        succeeded.Out.TrimEnd().Split(Environment.NewLine)[^1].ShouldContain("r1 to production, succeeded (build ");
        var production = JsonNode.Parse((await _server.RunAsync(["environments", "-p", "watch", "--json"])).Out)!.AsArray()
            .Single(e => e!["name"]!.GetValue<string>() == "production")!;
        production["current"]!["name"]!.GetValue<string>().ShouldBe("r1");
    }

    private async Task VerifiedInDevelopmentAsync(string release)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            var releases = await _server.RunAsync(["releases", "-p", "watch", "--json"]);
            releases.Exit.ShouldBe(0, releases.Err);
            var verified = JsonNode.Parse(releases.Out)?.AsArray()
                .Any(r => r!["name"]!.GetValue<string>() == release && r["verifiedIn"]!.AsArray().Any(e => e!.GetValue<string>() == "development"));
            if (verified == true)
            {
                return;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{release} was not verified in development within 90 s: {releases.Out}{releases.Err}");
            }
            await Task.Delay(250);
        }
    }
}
