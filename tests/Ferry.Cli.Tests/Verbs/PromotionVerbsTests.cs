using System.Text.Json.Nodes;
using Ferry.Core.Promotion;
using Ferry.Core.Versions;
using Ferry.Storage;

namespace Ferry.Cli.Tests.Verbs;

/// <summary>
/// The promotion verbs against a server without its loops: releases are formed through the store, and promotions are
/// moved through their states through the store, as the promoter loop would.
/// </summary>
[Collection(CliServerCollection.Name)]
public sealed class PromotionVerbsTests(CliServer server) : IDisposable
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
            approval: { required: 1, from: [ops] }
            variables:
              GREETING: { required: true }
            deploy:
              - task: deploy
                config: { platform: linux, run: { path: "true" } }
        """;

    private readonly GitRepo _repo = new();

    [Fact]
    public async Task PromoteApproveAndTheLists_WalkAReleaseToProduction_WhenEachStepIsAllowed()
    {
        var (p, first, second) = await SetUpAsync("walk");

        var none = await server.RunAsync(["environments", "-p", p]);
        none.Exit.ShouldBe(0, none.Err);
        none.Out.ShouldContain("ENVIRONMENT");
        Row(none.Out, "development").ShouldStartWith("development  none");
        var releases = await server.RunAsync(["releases", "-p", p]);
        releases.Exit.ShouldBe(0, releases.Err);
        Row(releases.Out, "r2").ShouldContain($"app ref:{second[..10]}");
        Row(releases.Out, "r1").ShouldContain($"app ref:{first[..10]}");

        var disabled = await server.RunAsync(["disable-release", "-p", p, "-r", "r1"]);
        disabled.Exit.ShouldBe(0, disabled.Err);
        disabled.Out.Trim().ShouldBe($"{p}/r1 is disabled");
        var refusedDisabled = await server.RunAsync(["promote", "-p", p, "-e", "development", "--release", "r1"]);
        refusedDisabled.Exit.ShouldBe(1);
        refusedDisabled.Err.ShouldContain("r1 cannot be promoted into development: the release is disabled.");
        (await server.RunAsync(["enable-release", "-p", p, "-r", "1"])).Out.Trim().ShouldBe($"{p}/r1 is enabled");

        var toDevelopment = await server.RunAsync(["promote", "-p", p, "-e", "development", "--release", "r1"]);
        toDevelopment.Exit.ShouldBe(0, toDevelopment.Err);
        toDevelopment.Out.ShouldContain($"{p}/development: r1 would be its first release");
        toDevelopment.Out.ShouldContain($"  app: new: ref:{first[..10]}");
        toDevelopment.Out.ShouldContain("to development, pending");
        await SucceedAsync(p, "development", "r1");

        var matrix = await server.RunAsync(["environments", "-p", p]);
        Row(matrix.Out, "development").ShouldStartWith($"development  r1       app ref:{first[..10]}  succeeded");

        var withoutGreeting = await server.RunAsync(["promote", "-p", p, "-e", "production", "--dry-run"]);
        withoutGreeting.Exit.ShouldBe(1);
        withoutGreeting.Out.ShouldContain("variables without a value: GREETING");
        withoutGreeting.Err.ShouldStartWith("ferry promote: refused: ");
        withoutGreeting.Err.ShouldContain("GREETING");

        (await server.RunAsync(["set-variable", "-p", p, "-e", "production", "GREETING", "Hello"])).Exit.ShouldBe(0);
        var secret = await server.RunAsync(["set-variable", "-p", p, "-e", "production", "API_KEY", "--secret"], "s3cret-value\n");
        secret.Exit.ShouldBe(0, secret.Err);
        secret.Out.ShouldBe($"set secret API_KEY in {p}/production" + System.Environment.NewLine);
        var variables = await server.RunAsync(["variables", "-p", p, "-e", "production"]);
        Row(variables.Out, "GREETING").ShouldStartWith("GREETING  Hello");
        Row(variables.Out, "API_KEY").ShouldStartWith("API_KEY   (secret)");
        (await server.RunAsync(["variables", "-p", p, "-e", "production", "--json"])).Out.ShouldNotContain("s3cret-value");

        var dryRun = await server.RunAsync(["promote", "-p", p, "-e", "production", "--dry-run"]);
        dryRun.Exit.ShouldBe(0, dryRun.Err);
        dryRun.Out.ShouldContain($"{p}/production: r1 would be its first release");
        dryRun.Out.ShouldEndWith("dry run: nothing promoted" + System.Environment.NewLine);
        (await server.RunAsync(["promotions", "-p", p, "-e", "production", "--json"])).Out.Trim().ShouldBe("[]");

        var toProduction = await server.RunAsync(["promote", "-p", p, "-e", "production"]);
        toProduction.Exit.ShouldBe(0, toProduction.Err);
        toProduction.Out.ShouldContain("r1 to production, awaiting_approval (0 of 1 approvals from ops)");

        var byAnonymous = await server.RunAsync(["approve", "-p", p, "-e", "production"]);
        byAnonymous.Exit.ShouldBe(1);
        byAnonymous.Err.ShouldStartWith("ferry approve: ");
        await server.Store.UpsertUserAsync("ops-olga", owner: false, ["ops"]);
        var olga = (await server.Store.CreateApiTokenAsync("ops-olga")).Token;
        var approved = await Cli.WithTokenAsync(olga, () => server.RunAsync(["approve", "-p", p, "-e", "production", "--comment", "looks good"]));
        approved.Exit.ShouldBe(0, approved.Err);
        approved.Out.ShouldContain("approved: promotion ");
        approved.Out.ShouldContain("r1 to production, approved");

        var promotions = await server.RunAsync(["promotions", "-p", p]);
        promotions.Out.Split(System.Environment.NewLine).ShouldContain(l => l.Contains(" production   r1       manual   approved   admin", StringComparison.Ordinal));
        var audit = await server.RunAsync(["audit", "-p", p]);
        audit.Exit.ShouldBe(0, audit.Err);
        audit.Out.ShouldContain("ops-olga");
        audit.Out.ShouldContain("approval");
        audit.Out.ShouldContain("variable_set");
        audit.Out.ShouldNotContain("s3cret-value");
    }

    [Fact]
    public async Task Promote_ShowsTheCommitsBetweenReleases_WhenPreviewingANewerOne()
    {
        var (p, first, second) = await SetUpAsync("commits");
        (await server.RunAsync(["promote", "-p", p, "-e", "development", "--release", "1"])).Exit.ShouldBe(0);
        await SucceedAsync(p, "development", "r1");

        var preview = await server.RunAsync(["promote", "-p", p, "-e", "development", "--release", "r2", "--dry-run"]);

        preview.Exit.ShouldBe(0, preview.Err);
        preview.Out.ShouldContain($"{p}/development: r2 would replace r1");
        preview.Out.ShouldContain($"  app: ref:{first[..10]} -> ref:{second[..10]}");
        preview.Out.ShouldContain($"    {second[..10]} Say hello twice (Ann)");
    }

    [Fact]
    public async Task Promote_Exits1WithTheServersReason_WhenNoReleaseMayGoThere()
    {
        var (p, _, _) = await SetUpAsync("refused");

        var skip = await server.RunAsync(["promote", "-p", p, "-e", "production", "--release", "r2"]);
        var unknown = await server.RunAsync(["promote", "-p", p, "-e", "staging"]);

        skip.Exit.ShouldBe(1);
        skip.Err.ShouldStartWith("ferry promote: ");
        skip.Err.ShouldContain("development");
        (await server.RunAsync(["promotions", "-p", p, "--json"])).Out.Trim().ShouldBe("[]");
        unknown.Exit.ShouldBe(1);
        unknown.Err.ShouldContain("staging");
    }

    [Fact]
    public async Task RejectHoldRollbackExplain_ChangeAndExplainEnvironments_WhenAsked()
    {
        var (p, _, _) = await SetUpAsync("hold");
        (await server.RunAsync(["promote", "-p", p, "-e", "development", "--release", "r1"])).Exit.ShouldBe(0);
        await SucceedAsync(p, "development", "r1");
        (await server.RunAsync(["promote", "-p", p, "-e", "development", "--release", "r2"])).Exit.ShouldBe(0);
        await SucceedAsync(p, "development", "r2");

        var explain = await server.RunAsync(["explain", "-p", p, "-e", "production"]);
        explain.Exit.ShouldBe(0, explain.Err);
        explain.Out.ShouldStartWith($"{p}/production: ");
        explain.Out.ShouldContain("  newest release: r2");
        explain.Out.ShouldContain("  why: ");

        var hold = await server.RunAsync(["hold", "-p", p, "-e", "development", "--reason", "database migration"]);
        hold.Exit.ShouldBe(0, hold.Err);
        hold.Out.ShouldStartWith($"{p}/development is held by admin: a hold (database migration); lift it with: ferry hold -p {p} -e development --lift");
        Row((await server.RunAsync(["environments", "-p", p])).Out, "development").ShouldEndWith("held by admin: a hold (database migration)");
        var lift = await server.RunAsync(["hold", "-p", p, "-e", "development", "--lift"]);
        lift.Exit.ShouldBe(0, lift.Err);
        Row((await server.RunAsync(["environments", "-p", p])).Out, "development").ShouldNotContain("held");

        var rollback = await server.RunAsync(["rollback", "-p", p, "-e", "development", "--to", "r1"]);
        rollback.Exit.ShouldBe(0, rollback.Err);
        rollback.Out.ShouldContain("r1 to development, pending");
        Row((await server.RunAsync(["environments", "-p", p])).Out, "development").ShouldContain("held by admin");
        var tooNew = await server.RunAsync(["rollback", "-p", p, "-e", "production", "--to", "r1"]);
        tooNew.Exit.ShouldBe(1);

        (await server.RunAsync(["set-variable", "-p", p, "-e", "production", "GREETING", "Hi"])).Exit.ShouldBe(0);
        (await server.RunAsync(["promote", "-p", p, "-e", "production"])).Exit.ShouldBe(0);
        await server.Store.UpsertUserAsync("ops-otto", owner: false, ["ops"]);
        var otto = (await server.Store.CreateApiTokenAsync("ops-otto")).Token;
        var rejected = await Cli.WithTokenAsync(otto, () => server.RunAsync(["reject", "-p", p, "-e", "production", "-m", "not on a Friday"]));
        rejected.Exit.ShouldBe(0, rejected.Err);
        rejected.Out.ShouldContain("r2 to production, rejected");
        var nothingLeft = await Cli.WithTokenAsync(otto, () => server.RunAsync(["approve", "-p", p, "-e", "production"]));
        nothingLeft.Exit.ShouldBe(1);
        nothingLeft.Err.ShouldBe($"ferry approve: no promotion awaits approval in {p}/production" + System.Environment.NewLine);

        (await server.RunAsync(["unset-variable", "-p", p, "-e", "production", "GREETING"])).Exit.ShouldBe(0);
        var unsetAgain = await server.RunAsync(["unset-variable", "-p", p, "-e", "production", "GREETING"]);
        unsetAgain.Exit.ShouldBe(1);
    }

    [Theory]
    [InlineData("explain", "-p", "x")]
    [InlineData("explain", "-j", "x/y", "-p", "x", "-e", "y")]
    [InlineData("promote", "-p", "x", "-e", "y", "--dry-run", "--watch")]
    [InlineData("hold", "-p", "x", "-e", "y", "--lift", "--reason", "z")]
    [InlineData("promotions", "-p", "x", "--limit", "0")]
    [InlineData("rollback", "-p", "x", "-e", "y")]
    public async Task Verb_Exits2_WhenUsageIsWrong(params string[] args)
    {
        var result = await server.RunAsync(args);

        result.Exit.ShouldBe(2, result.Err);
        result.Err.ShouldNotBeEmpty();
    }

    /// <summary>A pipeline named after the test, with two commits of the app as releases r1 and r2.</summary>
    private async Task<(string Pipeline, string First, string Second)> SetUpAsync(string name)
    {
        var first = _repo.Commit("greeting.txt", "hello\n", "Say hello");
        var second = _repo.Commit("greeting.txt", "hello hello\n", "Say hello twice");
        var file = await server.WriteFileAsync($"promote-{name}.yml", Pipeline);
        var set = await server.RunAsync(["set-pipeline", "-p", name, "-c", file, "-v", $"repo={_repo.Path}", "--yes"]);
        set.Exit.ShouldBe(0, set.Err);
        var pipeline = (await server.Store.GetPipelineAsync(name))!;
        var app = (await server.Store.GetResourceAsync(pipeline.Id, "app"))!;
        var versions = await server.Store.SaveVersionsAsync(app.Id,
            [new ResourceVersion(new Dictionary<string, string> { ["ref"] = first }, []), new ResourceVersion(new Dictionary<string, string> { ["ref"] = second }, [])]);
        foreach (var version in versions.OrderBy(v => v.Id))
        {
            await server.Store.SaveReleaseAsync(pipeline.Id, [new ReleaseVersionInput(app.Id, version.Id)]);
        }
        return (name, first, second);
    }

    /// <summary>What the promoter loop does once the promotion's build passed: deploying, verifying, succeeded.</summary>
    private async Task SucceedAsync(string pipeline, string environment, string release)
    {
        var id = (await server.Store.ListPromotionsAsync((await server.Store.GetPipelineAsync(pipeline))!.Id, environment))
            .First(x => x.Release == release && !PromotionStates.IsFinished(x.Status)).Id;
        await Ferry.Tests.Shared.PromotionBuildsDone.SucceedAsync(server.Store, id);
    }

    private static string Row(string table, string first) =>
        table.Split(System.Environment.NewLine).FirstOrDefault(l => l.StartsWith(first + " ", StringComparison.Ordinal))
        ?? throw new ShouldAssertException($"no row starting with '{first}' in:\n{table}");

    public void Dispose() => _repo.Dispose();
}
