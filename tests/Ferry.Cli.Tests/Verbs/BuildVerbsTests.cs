using System.Text.Json.Nodes;
using Ferry.Core.Builds;
using Ferry.Core.Versions;
using Ferry.Storage;

namespace Ferry.Cli.Tests.Verbs;

[Collection(CliServerCollection.Name)]
public sealed class BuildVerbsTests(CliServer server)
{
    private const string Pipeline = """
        resources:
          - name: app
            type: git
            source: { uri: "file:///tmp/none.git" }
        jobs:
          - name: unit
            plan:
              - get: app
        """;

    [Theory]
    [InlineData(BuildStatus.Succeeded, 0)]
    [InlineData(BuildStatus.Failed, 1)]
    public async Task Watch_PrintsLogAndExitsWithResult_WhenBuildEnds(BuildStatus status, int exit)
    {
        var build = await StartedBuildAsync("cli-watch-" + status.ToString().ToLowerInvariant());
        await server.Store.AppendEventsAsync(build.Id,
        [
            new BuildEvent(build.Id, 0, DateTimeOffset.UtcNow, BuildEventType.StepStarted, "s1", Payload: new JsonObject { ["kind"] = "task", ["name"] = "test" }),
            new BuildEvent(build.Id, 0, DateTimeOffset.UtcNow, BuildEventType.Log, "s1", LogStream.Stdout, "hello from the task\n"),
        ]);
        var output = new SharedWriter();
        var watching = server.RunAsync(["watch", "-b", build.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)], output: output);
        // It has printed what was there when it started watching: the lines appended from now on come live.
        await output.ShowsAsync("hello from the task\n");
        await server.Store.AppendEventsAsync(build.Id,
        [
            new BuildEvent(build.Id, 0, DateTimeOffset.UtcNow, BuildEventType.Log, "s1", LogStream.Stderr, "late line\n"),
            new BuildEvent(build.Id, 0, DateTimeOffset.UtcNow, BuildEventType.Status, Text: status.ToString().ToLowerInvariant()),
        ]);
        await server.Store.FinishBuildAsync(build.Id, status);

        var result = await watching.WaitAsync(TimeSpan.FromSeconds(15));

        result.Exit.ShouldBe(exit, result.Err);
        result.Out.ShouldBe($"--- task test\nhello from the task\nlate line\n{status.ToString().ToLowerInvariant()}\n");
    }

    [Fact]
    public async Task WatchJob_FollowsNewestBuild_AndBuildsListsIt()
    {
        var build = await StartedBuildAsync("cli-watch-job");
        await server.Store.AppendEventsAsync(build.Id, [new BuildEvent(build.Id, 0, DateTimeOffset.UtcNow, BuildEventType.Status, Text: "succeeded")]);
        await server.Store.FinishBuildAsync(build.Id, BuildStatus.Succeeded);

        (await server.RunAsync(["watch", "-j", "cli-watch-job/unit"])).Exit.ShouldBe(0);

        var json = await server.RunAsync(["builds", "-j", "cli-watch-job/unit", "--json"]);
        json.Exit.ShouldBe(0);
        JsonNode.Parse(json.Out)!["items"]![0]!["id"]!.GetValue<long>().ShouldBe(build.Id);
        var table = await server.RunAsync(["builds", "-j", "cli-watch-job/unit"]);
        var row = PlainTable.Parse(table.Out).ShouldHaveSingleItem();
        (row["ID"], row["PIPELINE/JOB"], row["BUILD"], row["STATUS"]).ShouldBe((build.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), "cli-watch-job/unit", "1", "succeeded"));
        var jobs = await server.RunAsync(["jobs", "-p", "cli-watch-job"]);
        var job = PlainTable.Parse(jobs.Out).ShouldHaveSingleItem();
        (job["NAME"], job["PAUSED"], job["STATUS"], job["BUILD"], job["NEXT"]).ShouldBe(("unit", "no", "succeeded", "#1", ""));
        JsonNode.Parse((await server.RunAsync(["jobs", "-p", "cli-watch-job", "--json"])).Out)!.AsArray().Count.ShouldBe(1);
    }

    [Fact]
    public async Task Abort_AbortsPendingBuild_AndWatchExits1()
    {
        await SetAsync("cli-abort");
        var pipeline = (await server.Store.GetPipelineAsync("cli-abort"))!;
        var job = (await server.Store.GetJobAsync(pipeline.Id, "unit"))!;
        var build = await server.Store.CreateBuildAsync(new NewBuild(pipeline.Id, job.Id, """{"do":[]}""", [], []));
        var id = build.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);

        var abort = await server.RunAsync(["abort", "-b", id]);

        abort.Exit.ShouldBe(0, abort.Err);
        abort.Out.ShouldContain($"build {id} aborted");
        (await server.RunAsync(["watch", "-b", id])).Exit.ShouldBe(1);
        (await server.RunAsync(["abort", "-b", "999999"])).Err.ShouldContain("build 999999 not found");
    }

    [Fact]
    public async Task ResourceVerbs_ListPinAndToggleVersions_WhenVersionsExist()
    {
        await SetAsync("cli-res");
        var pipeline = (await server.Store.GetPipelineAsync("cli-res"))!;
        var resource = (await server.Store.GetResourceAsync(pipeline.Id, "app"))!;
        await server.Store.SaveVersionsAsync(resource.Id, [V("111"), V("222")]);

        var resources = await server.RunAsync(["resources", "-p", "cli-res"]);
        var app = PlainTable.Parse(resources.Out).ShouldHaveSingleItem();
        (app["NAME"], app["TYPE"], app["PINNED"], app["CHECK"]).ShouldBe(("app", "git", "", "pending"));
        var versions = await server.RunAsync(["versions", "-r", "cli-res/app"]);
        PlainTable.Parse(versions.Out).Select(v => (v["VERSION"], v["ENABLED"])).ShouldBe([("ref:222", "yes"), ("ref:111", "yes")]);
        JsonNode.Parse((await server.RunAsync(["versions", "-r", "cli-res/app", "--json"])).Out)!["items"]!.AsArray().Count.ShouldBe(2);

        (await server.RunAsync(["pin", "-r", "cli-res/app", "-v", "ref:111", "--comment", "hold"])).Out.ShouldContain("pinned cli-res/app to ref:111");
        JsonNode.Parse((await server.RunAsync(["resources", "-p", "cli-res", "--json"])).Out)![0]!["pinComment"]!.GetValue<string>().ShouldBe("hold");
        (await server.RunAsync(["unpin", "-r", "cli-res/app"])).Exit.ShouldBe(0);
        (await server.RunAsync(["pin", "-r", "cli-res/app", "-v", "ref:nope"])).Err.ShouldContain("version ref:nope of resource 'cli-res/app' not found");

        (await server.RunAsync(["disable-version", "-r", "cli-res/app", "-v", "ref:222"])).Out.ShouldContain("disabled version ref:222");
        PlainTable.Parse((await server.RunAsync(["versions", "-r", "cli-res/app"])).Out).Select(v => (v["VERSION"], v["ENABLED"]))
            .ShouldBe([("ref:222", "no"), ("ref:111", "yes")]);
        (await server.RunAsync(["enable-version", "-r", "cli-res/app", "-v", "ref:222"])).Exit.ShouldBe(0);

        var check = await server.RunAsync(["check", "-r", "cli-res/app"]);
        check.Exit.ShouldBe(0);
        check.Out.ShouldContain("check of cli-res/app requested");
    }

    private async Task SetAsync(string name)
    {
        var file = await server.WriteFileAsync(name + ".yml", Pipeline);
        var set = await server.RunAsync(["set-pipeline", "-p", name, "-c", file, "--yes"]);
        set.Exit.ShouldBe(0, set.Err);
    }

    private async Task<BuildRecord> StartedBuildAsync(string name)
    {
        await SetAsync(name);
        var pipeline = (await server.Store.GetPipelineAsync(name))!;
        var job = (await server.Store.GetJobAsync(pipeline.Id, "unit"))!;
        var build = await server.Store.CreateBuildAsync(new NewBuild(pipeline.Id, job.Id, """{"do":[]}""", [], []));
        var claimed = await server.Store.ClaimNextBuildAsync("tests");
        claimed!.Id.ShouldBe(build.Id, "another test left a pending build behind");
        return claimed;
    }

    private static ResourceVersion V(string reference) => new(new Dictionary<string, string> { ["ref"] = reference });
}
