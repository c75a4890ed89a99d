using Ferry.EndToEnd.Tests.Harness;

namespace Ferry.EndToEnd.Tests.Crash;

/// <summary>Killing the server (SIGKILL) in the middle of a build leaves no build stuck and loses nothing it had accepted.</summary>
public sealed class ServerCrashTests
{
    private const string Pipeline = """
        resources:
          - name: app
            type: git
            check_every: never
            source: { uri: ((repo)), branch: main }
        jobs:
          - name: quick
            plan:
              - get: app
                trigger: true
              - task: say
                config:
                  platform: linux
                  inputs: [{ name: app }]
                  run: { path: sh, args: [-c, "echo quick build of $(cat app/NOTES.md)"] }
          - name: slow
            plan:
              - get: app
                trigger: true
                passed: [quick]
              - task: wait
                config:
                  platform: linux
                  run: { path: sh, args: [-c, "echo waiting; sleep 120"] }
        """;

    [Fact]
    public async Task Kill_DuringABuild_MarksItErroredOnRestart_AndKeepsEverythingElse()
    {
        await using var repo = await GitRepository.CreateAsync();
        var commit = await repo.CommitAsync("NOTES.md", "v1\n", "first");
        await using var server = await FerryServer.StartAsync();
        using var api = server.NewApi();
        var file = Path.Combine(server.DataDirectory, "crash.yml");
        await File.WriteAllTextAsync(file, Pipeline);
        (await server.CliAsync("set-pipeline", "-p", "crash", "-c", file, "-v", $"repo={repo.Uri}", "--yes")).ExitCode.ShouldBe(0);
        (await server.CliAsync("check", "-r", "crash/app")).ExitCode.ShouldBe(0);

        (await api.FinishedBuildForAsync(server, "crash", "quick", "app", commit)).ShouldBe("succeeded");
        var quick = (await api.BuildsAsync("crash", "quick"))[0];
        long slowId = 0;
        await FerryApi.EventuallyAsync(async () =>
        {
            var slow = (await api.BuildsAsync("crash", "slow")).FirstOrDefault();
            if (slow is null || (string)slow["status"]! != "started")
                return false;
            slowId = (long)slow["id"]!;
            return true;
        }, "the slow build to be running", server);
        // The task's first line, streamed live, must also survive the crash.
        (await api.StreamShowsAsync(slowId, "waiting", TimeSpan.FromSeconds(60))).ShouldBeTrue("the slow build's log shows 'waiting'");

        await server.KillAsync();
        await server.StartAgainAsync();

        var after = await api.GetAsync($"builds/{slowId}");
        ((string)after["build"]!["status"]!).ShouldBe("errored");
        ((string?)after["build"]!["reason"]).ShouldNotBeNullOrEmpty();
        var slowLog = await server.CliAsync("watch", "-b", slowId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        slowLog.ExitCode.ShouldBe(1, slowLog.ToString());
        slowLog.Output.ShouldContain("waiting");
        var quickLog = await server.CliAsync("watch", "-b", ((long)quick["id"]!).ToString(System.Globalization.CultureInfo.InvariantCulture));
        quickLog.ExitCode.ShouldBe(0, quickLog.ToString());
        quickLog.Output.ShouldContain("quick build of v1");
        var versions = await server.CliAsync("versions", "-r", "crash/app", "--json");
        versions.Output.ShouldContain(commit);

        var next = await repo.CommitAsync("NOTES.md", "v2\n", "second");
        (await server.CliAsync("check", "-r", "crash/app")).ExitCode.ShouldBe(0);
        (await api.FinishedBuildForAsync(server, "crash", "quick", "app", next)).ShouldBe("succeeded");
    }
}
