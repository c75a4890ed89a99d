using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Ferry.EndToEnd.Tests.Harness;
using Xunit.Abstractions;

namespace Ferry.EndToEnd.Tests.Nodes;

/// <summary>
/// Two real `ferry server` processes on one PostgreSQL: a build triggered on a node that runs none is started by the
/// other at once (the wake crosses over NOTIFY); and stopping each node in turn with SIGTERM while builds and a
/// promotion run loses nothing: the stopping node drains, the other takes the new work.
/// </summary>
public sealed class RollingRestartTests(ITestOutputHelper output)
{
    private const string Quick = """
        jobs:
          - name: quick
            plan:
              - task: say
                config:
                  platform: linux
                  run: { path: sh, args: [-c, "echo quick"] }
        """;

    [Fact]
    public async Task ABuildTriggeredOnANodeThatRunsNone_IsStartedByTheOtherWithoutWaitingForItsInterval()
    {
        var database = await TestPostgres.CreateDatabaseAsync();
        string[] shared = ["--master-key-file", await NodeSetup.MasterKeyFileAsync()];
        await using var front = await FerryServer.StartAsync(database, false, [.. shared, "--node-name", "front", "--build-capacity", "0"]);
        await using var back = await FerryServer.JoinAsync(front, [.. shared, "--node-name", "back"]);
        using var frontApi = front.NewApi();
        var backId = (string)(await back.NewApi().GetAsync("info"))["nodeId"]!;
        var file = Path.Combine(front.DataDirectory, "quick.yml");
        await File.WriteAllTextAsync(file, Quick);
        (await front.CliAsync("set-pipeline", "-p", "quick", "-c", file, "--yes")).ExitCode.ShouldBe(0);

        var latencies = new List<double>();
        for (var i = 0; i < 8; i++)
        {
            using var response = await frontApi.PostAsync("pipelines/quick/jobs/quick/builds");
            response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
            var id = (long)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["id"]!;
            JsonNode build = null!;
            await FerryApi.EventuallyAsync(async () =>
            {
                build = (await frontApi.GetAsync($"builds/{id}"))["build"]!;
                return (string)build["status"]! is not ("pending" or "started");
            }, $"build {id} to end", back, TimeSpan.FromSeconds(60));
            ((string)build["status"]!).ShouldBe("succeeded", build.ToJsonString());
            ((string)build["claimedBy"]!).ShouldBe(backId, "the front node runs no builds");
            latencies.Add(((DateTime)build["startedAt"]! - (DateTime)build["createdAt"]!).TotalMilliseconds);
        }
        latencies.Sort();
        var median = latencies[latencies.Count / 2];
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"created on front -> started on back: median {median:F0} ms, max {latencies[^1]:F0} ms ({string.Join(", ", latencies.Select(l => l.ToString("F0", CultureInfo.InvariantCulture)))}); load {File.ReadAllText("/proc/loadavg").Trim()}"));
        // Without the wake the back node's runner looks every 500 ms: half the builds would wait over 250 ms.
        median.ShouldBeLessThan(400);
    }

    [Fact]
    public async Task RestartingEachNodeInTurn_WhileBuildsAndAPromotionRun_LosesNoBuildPromotionOrAuditEntry()
    {
        await using var repo = await GitRepository.CreateAsync();
        await repo.CommitAsync("README.md", "hello\n", "first");
        var database = await TestPostgres.CreateDatabaseAsync();
        string[] shared = ["--master-key-file", await NodeSetup.MasterKeyFileAsync(), "--drain-timeout", "60"];
        await using var a = await FerryServer.StartAsync(database, false, [.. shared, "--node-name", "a"]);
        await using var b = await FerryServer.JoinAsync(a, [.. shared, "--node-name", "b"]);
        using var api = a.NewApi();
        using var apiB = b.NewApi();
        var release = await NodeSetup.SetPipelineWithReleaseAsync(a, "rolling", repo, work: "sleep 4; echo done", deploy: "sleep 6; echo deployed $FERRY_RELEASE");

        var triggered = new List<long>();
        async Task TriggerAsync(FerryApi on, int count)
        {
            for (var i = 0; i < count; i++)
            {
                using var response = await on.PostAsync("pipelines/rolling/jobs/work/builds");
                response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
                triggered.Add((long)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["id"]!);
            }
        }
        await TriggerAsync(api, 3);
        using (var promoted = await api.PostAsync("pipelines/rolling/environments/development/promotions", new { release }))
            promoted.StatusCode.ShouldBe(HttpStatusCode.Created, await promoted.Content.ReadAsStringAsync());
        var auditBefore = await NodeSetup.AuditAsync(api);
        auditBefore.Count.ShouldBeGreaterThan(0);

        // Node A stops while a build runs on it; B takes what is triggered meanwhile; then the same for B.
        await RunningOnAsync(api, a, () => TriggerAsync(api, 1));
        var stopA = a.StopAsync(TimeSpan.FromSeconds(120));
        await TriggerAsync(apiB, 2);
        (await stopA).ShouldBe(0, a.Log);
        a.Log.ShouldContain("drained: no build runs here");
        await a.StartAgainAsync();
        using var apiA = a.NewApi();
        await TriggerAsync(apiA, 2);
        await RunningOnAsync(apiB, b, () => TriggerAsync(apiB, 1));
        var stopB = b.StopAsync(TimeSpan.FromSeconds(120));
        await TriggerAsync(apiA, 2);
        (await stopB).ShouldBe(0, b.Log);
        b.Log.ShouldContain("drained: no build runs here");
        await b.StartAgainAsync();

        var builds = new List<JsonNode>();
        await FerryApi.EventuallyAsync(async () =>
        {
            builds.Clear();
            foreach (var id in triggered)
                builds.Add((await apiA.GetAsync($"builds/{id}"))["build"]!);
            return builds.All(x => (string)x["status"]! is not ("pending" or "started"));
        }, "every triggered build to end", a, TimeSpan.FromSeconds(180));
        foreach (var build in builds)
            ((string)build["status"]!).ShouldBe("succeeded", $"{build.ToJsonString()}\n--- a:\n{a.Log}\n--- b:\n{b.Log}");
        JsonNode promotion = null!;
        await FerryApi.EventuallyAsync(async () =>
        {
            promotion = (await apiA.GetAsync("pipelines/rolling/promotions")).AsArray().Single()!;
            return (string)promotion["status"]! is "succeeded" or "failed" or "errored" or "aborted";
        }, "the promotion to end", a, TimeSpan.FromSeconds(120));
        ((string)promotion["status"]!).ShouldBe("succeeded", promotion.ToJsonString());
        var auditAfter = await NodeSetup.AuditAsync(apiA);
        auditBefore.Except(auditAfter).ShouldBeEmpty("every audit entry written before the restarts is still there");
        auditAfter.Count.ShouldBe(auditAfter.Distinct().Count());
        a.Log.ShouldContain("Ferry stopped");
        b.Log.ShouldContain("Ferry stopped");
        output.WriteLine($"{builds.Count} builds, claimed by: {string.Join(", ", builds.Select(x => (string?)x["claimedBy"]).Distinct())}");
    }

    /// <summary>
    /// Waits until a build of <c>work</c> runs on <paramref name="server"/>, so the stop that follows drains one; each
    /// node may claim a build, so while none runs there another is triggered every second.
    /// </summary>
    private static async Task RunningOnAsync(FerryApi api, FerryServer server, Func<Task> triggerOne)
    {
        var id = (string)(await api.GetAsync("info"))["nodeId"]!;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!(await api.BuildsAsync("rolling", "work")).Any(x => (string)x["status"]! == "started" && (string?)x["claimedBy"] == id))
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"no build of work ran on {server.Url} within 60 s:\n{server.Log}");
            await triggerOne();
            await Task.Delay(TimeSpan.FromSeconds(1));
        }
    }
}
