using System.Text.Json.Nodes;

namespace Ferry.Cli.Tests.Verbs;

[Collection(CliServerCollection.Name)]
public sealed class PipelineVerbsTests(CliServer server)
{
    private const string Pipeline = """
        resources:
          - name: app
            type: git
            source: { uri: ((repo)), branch: main }
        jobs:
          - name: unit
            plan:
              - get: app
                trigger: true
        """;

    [Fact]
    public async Task SetPipeline_SetsAndLists_WhenGivenYes()
    {
        var file = await server.WriteFileAsync("set-yes.yml", Pipeline);

        var set = await server.RunAsync(["set-pipeline", "-p", "cli-yes", "-c", file, "-v", "repo=file:///tmp/a.git", "--yes"]);

        set.Exit.ShouldBe(0, set.Err);
        set.Out.ShouldContain("pipeline 'cli-yes' is new (team main):");
        set.Out.ShouldContain("  1 resource: app\n  1 job: unit\n");
        set.Out.ShouldNotContain("+   - name: unit");
        set.Out.ShouldContain("pipeline 'cli-yes' set to config version 1");
        var list = await server.RunAsync(["pipelines", "--json"]);
        list.Exit.ShouldBe(0);
        JsonNode.Parse(list.Out)!.AsArray().Select(p => p!["name"]!.GetValue<string>()).ShouldContain("cli-yes");
        var table = await server.RunAsync(["pipelines"]);
        var row = PlainTable.Parse(table.Out).Single(r => r["NAME"] == "cli-yes");
        (row["PAUSED"], row["CONFIG"]).ShouldBe(("no", "1"));
        row["UPDATED"].ShouldMatch(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$");
        var get = await server.RunAsync(["get-pipeline", "-p", "cli-yes"]);
        get.Out.ShouldBe(Pipeline + "\n");
    }

    [Fact]
    public async Task SetPipeline_SaysNoChanges_WhenConfigIsTheSame()
    {
        var file = await server.WriteFileAsync("same.yml", Pipeline);
        (await server.RunAsync(["set-pipeline", "-p", "cli-same", "-c", file, "-v", "repo=x", "--yes"])).Exit.ShouldBe(0);

        var again = await server.RunAsync(["set-pipeline", "-p", "cli-same", "-c", file, "-v", "repo=x"]);

        again.Exit.ShouldBe(0);
        again.Out.ShouldContain("no changes to apply to pipeline 'cli-same'");
    }

    [Fact]
    public async Task SetPipeline_RefusesWithUsageError_WhenNoYesAndStandardInputClosed()
    {
        var file = await server.WriteFileAsync("refuse.yml", Pipeline);

        var set = await server.RunAsync(["set-pipeline", "-p", "cli-refuse", "-c", file, "-v", "repo=x"]);

        set.Exit.ShouldBe(2);
        set.Err.ShouldContain("--yes");
        (await server.RunAsync(["get-pipeline", "-p", "cli-refuse"])).Exit.ShouldBe(1);
    }

    [Theory]
    [InlineData("y\n", 0)]
    [InlineData("n\n", 1)]
    public async Task SetPipeline_FollowsAnswer_WhenAsked(string answer, int exit)
    {
        var name = "cli-ask-" + answer.Trim();
        var file = await server.WriteFileAsync(name + ".yml", Pipeline);

        var set = await server.RunAsync(["set-pipeline", "-p", name, "-c", file, "-v", "repo=x"], answer);

        set.Exit.ShouldBe(exit, set.Err);
        set.Out.ShouldContain("apply configuration? [y/N]");
        (await server.RunAsync(["get-pipeline", "-p", name])).Exit.ShouldBe(exit == 0 ? 0 : 1);
    }

    [Fact]
    public async Task SetPipeline_PrintsConfigPathAndExits1_WhenConfigIsInvalid()
    {
        var file = await server.WriteFileAsync("invalid.yml", Pipeline.Replace("get: app", "get: tools", StringComparison.Ordinal));

        var set = await server.RunAsync(["set-pipeline", "-p", "cli-invalid", "-c", file, "-v", "repo=x", "--yes"]);

        set.Exit.ShouldBe(1);
        set.Err.ShouldContain("invalid.yml:");
        set.Err.ShouldContain("jobs.unit.plan[0]");
        // One error, said once.
        set.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries).Count(l => l.Contains("jobs.unit.plan[0]", StringComparison.Ordinal)).ShouldBe(1);
    }

    [Fact]
    public async Task SetPipeline_ExitsWithUsage_WhenVarHasNoEquals()
    {
        var file = await server.WriteFileAsync("badvar.yml", Pipeline);
        var set = await server.RunAsync(["set-pipeline", "-p", "cli-badvar", "-c", file, "-v", "repo", "--yes"]);
        set.Exit.ShouldBe(2);
        set.Err.ShouldContain("--var 'repo' is not of the form name=value");
    }

    [Fact]
    public async Task PauseUnpauseDestroy_Work_WhenPipelineExists()
    {
        var file = await server.WriteFileAsync("lifecycle.yml", Pipeline);
        (await server.RunAsync(["set-pipeline", "-p", "cli-life", "-c", file, "-v", "repo=x", "--yes", "--paused"])).Out
            .ShouldContain("ferry unpause-pipeline -p cli-life");
        (await server.RunAsync(["unpause-pipeline", "-p", "cli-life"])).Out.ShouldContain("unpaused pipeline 'cli-life'");
        (await server.RunAsync(["pause-pipeline", "-p", "cli-life"])).Exit.ShouldBe(0);

        (await server.RunAsync(["destroy-pipeline", "-p", "cli-life"])).Exit.ShouldBe(2);
        var destroy = await server.RunAsync(["destroy-pipeline", "-p", "cli-life"], "y\n");
        destroy.Exit.ShouldBe(0, destroy.Err);
        (await server.RunAsync(["get-pipeline", "-p", "cli-life"])).Err.ShouldBe("ferry get-pipeline: pipeline 'cli-life' not found" + Environment.NewLine);
    }

    [Fact]
    public async Task Audit_ShowsEveryPipelinesEntries_IncludingADestroyedPipelinesDestroy()
    {
        var file = await server.WriteFileAsync("audited.yml", Pipeline);
        (await server.RunAsync(["set-pipeline", "-p", "cli-audited", "-c", file, "-v", "repo=x", "--yes"])).Exit.ShouldBe(0);
        (await server.RunAsync(["destroy-pipeline", "-p", "cli-audited"], "y\n")).Exit.ShouldBe(0);

        var all = await server.RunAsync(["audit"]);
        var one = await server.RunAsync(["audit", "-p", "cli-audited", "--json"]);

        all.Exit.ShouldBe(0, all.Err);
        all.Out.ShouldContain("PIPELINE");
        all.Out.Split('\n').ShouldContain(line => line.Contains("cli-audited", StringComparison.Ordinal) && line.Contains("pipeline_destroyed", StringComparison.Ordinal));
        one.Exit.ShouldBe(0, one.Err);
        var entry = JsonNode.Parse(one.Out)!.AsArray()[0]!;
        entry["action"]!.GetValue<string>().ShouldBe("pipeline_destroyed");
        entry["pipeline"]!.GetValue<string>().ShouldBe("cli-audited");
        entry["actor"]!.GetValue<string>().ShouldBe("admin", "the destroy names who did it: the signed-in owner");
    }

    [Fact]
    public async Task GetPipeline_PrintsOneLineAndExits1_WhenUnknown()
    {
        var get = await server.RunAsync(["get-pipeline", "-p", "ghost"]);
        get.Exit.ShouldBe(1);
        get.Err.ShouldBe("ferry get-pipeline: pipeline 'ghost' not found" + Environment.NewLine);
    }
}
