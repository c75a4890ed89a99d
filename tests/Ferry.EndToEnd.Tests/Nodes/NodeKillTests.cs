using System.Net;
using System.Text.Json.Nodes;
using Ferry.EndToEnd.Tests.Harness;
using Xunit.Abstractions;

namespace Ferry.EndToEnd.Tests.Nodes;

/// <summary>
/// Real `ferry server` processes: one killed with SIGKILL during a build and a promotion has both ended by the other
/// node within 30 s, naming it, and nothing stays stuck; started again, it joins and nothing is there twice. One
/// stopped with SIGTERM whose build outlasts the drain timeout aborts it, naming itself.
/// </summary>
public sealed class NodeKillTests(ITestOutputHelper output)
{
    [Fact]
    public async Task ANodeKilledDuringABuildAndAPromotion_HasBothEndedByTheOther_AndRejoinsWithNothingTwice()
    {
        await using var repo = await GitRepository.CreateAsync();
        await repo.CommitAsync("README.md", "hello\n", "first");
        var hold = Path.Combine(Directory.CreateTempSubdirectory("ferry-e2e-hold-").FullName, "hold");
        await File.WriteAllTextAsync(hold, "");
        var database = await TestPostgres.CreateDatabaseAsync();
        string[] shared = ["--master-key-file", await NodeSetup.MasterKeyFileAsync()];
        // The victim starts alone, so the build and the promotion run on it; the survivor joins after.
        await using var victim = await FerryServer.StartAsync(database, false, [.. shared, "--node-name", "victim"]);
        using var victimApi = victim.NewApi();
        var victimId = (string)(await victimApi.GetAsync("info"))["nodeId"]!;
        var waitWhileHeld = $"while [ -e {hold} ]; do sleep 0.2; done; echo released";
        var release = await NodeSetup.SetPipelineWithReleaseAsync(victim, "held", repo, work: waitWhileHeld, deploy: waitWhileHeld);
        using (var triggered = await victimApi.PostAsync("pipelines/held/jobs/work/builds"))
            triggered.StatusCode.ShouldBe(HttpStatusCode.Created);
        using (var promoted = await victimApi.PostAsync("pipelines/held/environments/development/promotions", new { release }))
            promoted.StatusCode.ShouldBe(HttpStatusCode.Created, await promoted.Content.ReadAsStringAsync());
        await FerryApi.EventuallyAsync(async () =>
            (await victimApi.BuildsAsync("held", "work")).Any(b => (string)b["status"]! == "started")
            && (await victimApi.GetAsync("pipelines/held/promotions")).AsArray().Any(p => (string)p!["status"]! == "deploying"),
            "the build and the promotion to run on the victim", victim, TimeSpan.FromSeconds(60));
        await using var survivor = await FerryServer.JoinAsync(victim, [.. shared, "--node-name", "survivor"]);
        using var api = survivor.NewApi();
        var auditBefore = await NodeSetup.AuditAsync(api);

        await victim.KillAsync();
        var killedAt = DateTime.UtcNow;
        JsonNode build = null!, promotion = null!;
        await FerryApi.EventuallyAsync(async () =>
        {
            build = (await api.BuildsAsync("held", "work")).Single();
            promotion = (await api.GetAsync("pipelines/held/promotions")).AsArray().Single()!;
            return (string)build["status"]! != "started" && (string)promotion["status"]! is not ("deploying" or "verifying");
        }, "the survivor to end the killed node's build and promotion", survivor, TimeSpan.FromSeconds(45));
        var took = DateTime.UtcNow - killedAt;
        output.WriteLine($"the survivor ended the build and the promotion {took.TotalSeconds:F1} s after the kill");
        took.ShouldBeLessThan(TimeSpan.FromSeconds(30));
        ((string)build["status"]!).ShouldBe("errored");
        ((string)build["reason"]!).ShouldContain($"the server node victim ({victimId}) running this build stopped answering");
        ((string)promotion["status"]!).ShouldBe("errored", promotion.ToJsonString());
        ((string)promotion["reason"]!).ShouldContain("victim");

        // Nothing is stuck: the job's next build and a new promotion into the environment run on the survivor.
        File.Delete(hold);
        var next = await survivor.CliAsync(TimeSpan.FromSeconds(90), "trigger", "-j", "held/work", "--watch");
        next.ExitCode.ShouldBe(0, next.ToString());
        using (var again = await api.PostAsync("pipelines/held/environments/development/promotions", new { release }))
            again.StatusCode.ShouldBe(HttpStatusCode.Created, await again.Content.ReadAsStringAsync());
        await FerryApi.EventuallyAsync(async () =>
            (await api.GetAsync("pipelines/held/promotions")).AsArray().Any(p => (string)p!["status"]! == "succeeded"),
            "the new promotion to succeed", survivor, TimeSpan.FromSeconds(90));

        // The killed node starts again: a new node, live beside the survivor; nothing was done twice.
        await victim.StartAgainAsync();
        var nodes = (await api.GetAsync("nodes")).AsArray();
        nodes.Count(n => (bool)n!["live"]!).ShouldBe(2, nodes.ToJsonString());
        nodes.Single(n => (string)n!["id"]! == victimId)!["stopReason"]!.GetValue<string>().ShouldBe("its heartbeat stopped");
        await Task.Delay(TimeSpan.FromSeconds(3));
        (await api.BuildsAsync("held", "work")).Count.ShouldBe(2, "the errored build and the next one");
        (await api.BuildsAsync("held", "unit")).Count.ShouldBe(1, "one commit, one build");
        var promotions = (await api.GetAsync("pipelines/held/promotions")).AsArray();
        promotions.Count.ShouldBe(2, promotions.ToJsonString());
        (await api.GetAsync("pipelines/held/releases")).AsArray().Count.ShouldBe(1);
        var auditAfter = await NodeSetup.AuditAsync(api);
        auditBefore.Except(auditAfter).ShouldBeEmpty();
        auditAfter.Count.ShouldBe(auditAfter.Distinct().Count());
    }

    [Fact]
    public async Task ABuildOutlastingTheDrainTimeout_IsAbortedNamingTheStoppedNode()
    {
        await using var server = await FerryServer.StartAsync(null, false, "--drain-timeout", "1", "--node-name", "leaving");
        using var api = server.NewApi();
        var id = (string)(await api.GetAsync("info"))["nodeId"]!;
        await StartSlowBuildAsync(server, api);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        (await server.StopAsync(TimeSpan.FromSeconds(60))).ShouldBe(0, server.Log);
        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(30));
        server.Log.ShouldContain("is draining");
        await server.StartAgainAsync();

        using var again = server.NewApi();
        var build = (await again.BuildsAsync("slow", "slow")).Single();
        ((string)build["status"]!).ShouldBe("aborted", build.ToJsonString());
        ((string)build["reason"]!).ShouldBe($"the server node leaving ({id}) stopped: the build was still running after its drain timeout of 1 s");
    }

    [Fact]
    public async Task ASecondStopSignalWhileDraining_AbortsTheBuildsAtOnce()
    {
        await using var server = await FerryServer.StartAsync(null, false, "--drain-timeout", "600", "--node-name", "impatient");
        using var api = server.NewApi();
        await StartSlowBuildAsync(server, api);

        await server.TerminateAsync();
        await FerryApi.EventuallyAsync(() => Task.FromResult(server.Log.Contains("is draining", StringComparison.Ordinal)), "the node to drain", server);
        // It still serves while it drains.
        (await api.GetAsync("info"))["nodeId"].ShouldNotBeNull();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        (await server.StopAsync(TimeSpan.FromSeconds(60))).ShouldBe(0, server.Log);
        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(30));
        await server.StartAgainAsync();

        using var again = server.NewApi();
        var build = (await again.BuildsAsync("slow", "slow")).Single();
        ((string)build["status"]!).ShouldBe("aborted", build.ToJsonString());
        ((string)build["reason"]!).ShouldContain("it was told to stop again while draining");
    }

    /// <summary>Sets the pipeline <c>slow</c>, whose one job sleeps 300 s, triggers it and waits until its build has started.</summary>
    private static async Task StartSlowBuildAsync(FerryServer server, FerryApi api)
    {
        var file = Path.Combine(server.DataDirectory, "slow.yml");
        await File.WriteAllTextAsync(file, """
            jobs:
              - name: slow
                plan:
                  - task: wait
                    config: { platform: linux, run: { path: sh, args: [-c, "sleep 300"] } }
            """);
        (await server.CliAsync("set-pipeline", "-p", "slow", "-c", file, "--yes")).ExitCode.ShouldBe(0);
        (await server.CliAsync("trigger", "-j", "slow/slow")).ExitCode.ShouldBe(0);
        await FerryApi.EventuallyAsync(async () => (await api.BuildsAsync("slow", "slow")).Any(b => (string)b["status"]! == "started"),
            "the build to start", server);
    }
}
