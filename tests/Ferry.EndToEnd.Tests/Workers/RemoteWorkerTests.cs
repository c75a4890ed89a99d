using System.Globalization;
using System.Text.Json.Nodes;
using Ferry.EndToEnd.Tests.Harness;

namespace Ferry.EndToEnd.Tests.Workers;

/// <summary>
/// <c>ferry worker</c> as a separate process against a real <c>ferry server</c> process: it runs the builds whose
/// steps carry its tags, streams their logs back, keeps a build going across a server restart, stops on a revoked
/// token and on SIGTERM, and a worker killed with SIGKILL has its build errored after the server's worker timeout.
/// </summary>
public sealed class RemoteWorkerTests
{
    private const string Pipeline = """
        jobs:
          - name: remote
            plan:
              - task: where
                tags: [remote]
                config:
                  platform: linux
                  run: { path: sh, args: [-c, "echo ran in $PWD; for i in $(seq 1 ((lines))); do echo line $i; sleep ((pause)); done; echo done"] }
        """;

    /// <summary>A server on PostgreSQL, the store servers with remote workers share (issue 15).</summary>
    private static async Task<FerryServer> StartServerAsync(params string[] arguments) =>
        await FerryServer.StartAsync(await TestPostgres.CreateDatabaseAsync(), false, ["--runtime", "process", .. arguments]);

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);

    private static async Task<long> SetAndTriggerAsync(FerryServer server, int lines, double pause)
    {
        var file = Path.Combine(server.DataDirectory, "workers.yml");
        await File.WriteAllTextAsync(file, Pipeline);
        var set = await server.CliAsync("set-pipeline", "-p", "w", "-c", file, "-v", $"lines={lines}", "-v",
            $"pause={pause.ToString(CultureInfo.InvariantCulture)}", "--yes");
        set.ExitCode.ShouldBe(0, set.ToString());
        var trigger = await server.CliAsync("trigger", "-j", "w/remote");
        trigger.ExitCode.ShouldBe(0, trigger.ToString());
        using var api = server.NewApi();
        return (long)(await api.BuildsAsync("w", "remote"))[0]["id"]!;
    }

    /// <summary>
    /// Sets and triggers the pipeline, then waits until the build's log shows <paramref name="shows"/>: the build runs
    /// on the worker.
    /// </summary>
    private static async Task<long> TriggerRunningBuildAsync(FerryServer server, int lines, double pause, string shows)
    {
        var buildId = await SetAndTriggerAsync(server, lines, pause);
        using var api = server.NewApi();
        (await api.StreamShowsAsync(buildId, shows, TimeSpan.FromSeconds(60))).ShouldBeTrue("the build runs on the worker");
        return buildId;
    }

    /// <summary>A worker with a new token for <c>w1</c>, tagged <c>remote</c>, once it has registered.</summary>
    private static async Task<FerryWorker> StartW1Async(FerryServer server) =>
        await StartRegisteredAsync(server, (await FerryWorker.CreateTokenAsync(server, "w1")).Token);

    /// <summary>A worker tagged <c>remote</c> signed in with <paramref name="token"/>, once it has registered.</summary>
    private static async Task<FerryWorker> StartRegisteredAsync(FerryServer server, string token)
    {
        var worker = FerryWorker.Start(server, token, "--tag", "remote");
        try
        {
            await worker.WaitForLogAsync("registered");
            return worker;
        }
        catch
        {
            await worker.DisposeAsync();
            throw;
        }
    }

    private static async Task<JsonNode> EndedAsync(FerryServer server, long buildId, TimeSpan? timeout = null)
    {
        using var api = server.NewApi();
        JsonNode? build = null;
        await FerryApi.EventuallyAsync(async () =>
        {
            build = (await api.GetAsync($"builds/{Id(buildId)}"))["build"];
            return (string)build!["status"]! is not ("pending" or "started");
        }, $"build {buildId} to end", server, timeout ?? TimeSpan.FromSeconds(90));
        return build!;
    }

    [Fact]
    public async Task Worker_RunsTheTaggedBuild_AndStreamsItsLogBack()
    {
        await using var server = await StartServerAsync();
        await using var worker = await StartW1Async(server);

        var buildId = await SetAndTriggerAsync(server, lines: 3, pause: 0.1);

        var build = await EndedAsync(server, buildId);
        ((string)build["status"]!).ShouldBe("succeeded", worker.Log);
        build.ToJsonString().ShouldContain("w1", customMessage: "the build names the worker that ran it");
        var watch = await server.CliAsync("watch", "-b", Id(buildId));
        watch.ExitCode.ShouldBe(0, watch.ToString());
        watch.Output.ShouldContain($"ran in {worker.WorkDirectory}");
        watch.Output.ShouldContain("line 3");
        using var api = server.NewApi();
        var workers = (await api.GetAsync("workers")).ToJsonString();
        workers.ShouldContain("\"w1\"");
        workers.ShouldContain("\"remote\"");
        Directory.EnumerateDirectories(Path.Combine(worker.WorkDirectory, "work", "builds")).ShouldBeEmpty("a build's directory goes when it ends");
        (await worker.StopAsync()).ShouldBe(0, worker.Log);
    }

    [Fact]
    public async Task Worker_Stops_WhenItsTokenIsRevoked()
    {
        await using var server = await StartServerAsync();
        var (token, tokenId) = await FerryWorker.CreateTokenAsync(server, "w1");
        await using var worker = await StartRegisteredAsync(server, token);

        var revoke = await server.CliAsync("token", "revoke", tokenId);
        revoke.ExitCode.ShouldBe(0, revoke.ToString());

        (await worker.WaitForExitAsync(TimeSpan.FromSeconds(60))).ShouldBe(1, worker.Log);
        worker.Log.ShouldContain("revoked");
    }

    [Fact]
    public async Task Build_SucceedsWithItsWholeLog_WhenTheServerRestartsDuringIt()
    {
        await using var server = await StartServerAsync();
        await using var worker = await StartW1Async(server);
        var buildId = await TriggerRunningBuildAsync(server, lines: 30, pause: 0.2, shows: "line 3");

        await server.KillAsync();
        await Task.Delay(TimeSpan.FromSeconds(2));
        await server.StartAgainAsync();

        var build = await EndedAsync(server, buildId);
        ((string)build["status"]!).ShouldBe("succeeded", $"{worker.Log}\n--- server\n{server.Log}");
        var watch = await server.CliAsync("watch", "-b", Id(buildId));
        foreach (var n in Enumerable.Range(1, 30))
            watch.Output.Split('\n').Count(l => l.TrimEnd().EndsWith($"line {n}", StringComparison.Ordinal)).ShouldBe(1, $"line {n} once\n{watch.Output}");
        watch.Output.ShouldContain("done");
    }

    [Fact]
    public async Task Worker_AbortsAndReportsItsBuilds_WhenStopped()
    {
        await using var server = await StartServerAsync();
        await using var worker = await StartW1Async(server);
        var buildId = await TriggerRunningBuildAsync(server, lines: 600, pause: 0.5, shows: "line 1");

        (await worker.StopAsync()).ShouldBe(0, worker.Log);

        var build = await EndedAsync(server, buildId, TimeSpan.FromSeconds(5));
        ((string)build["status"]!).ShouldBe("aborted");
        ((string?)build["reason"]).ShouldBe("worker w1 stopped");
        ProcessTable.WithCommandLine("seq 1 600").ShouldBeEmpty("the task died with the build");
    }

    [Fact]
    public async Task Build_Errors_AfterTheWorkerTimeout_WhenItsWorkerIsKilled()
    {
        await using var server = await StartServerAsync("--worker-timeout", "5");
        await using var worker = await StartW1Async(server);
        var buildId = await TriggerRunningBuildAsync(server, lines: 600, pause: 0.5, shows: "line 1");
        var task = ProcessTable.WithCommandLine("seq 1 600").ShouldHaveSingleItem();

        await worker.KillAsync();

        var build = await EndedAsync(server, buildId, TimeSpan.FromSeconds(60));
        ((string)build["status"]!).ShouldBe("errored");
        ((string?)build["reason"]).ShouldNotBeNullOrEmpty();
        // The task's group dies with its worker (the group watcher), or at the latest at the worker's next start.
        worker.StartAgain();
        await worker.WaitForLogAsync("runs builds in"); // after it cleared its work directory
        worker.Log.ShouldContain("1 build directories (removed)", customMessage: worker.Log);
        ProcessTable.InGroup(task.Group).ShouldBeEmpty("nothing the killed worker's task started still runs");
        Directory.EnumerateDirectories(Path.Combine(worker.WorkDirectory, "work", "builds")).ShouldBeEmpty("the next start removes the killed build's directory");
    }
}
