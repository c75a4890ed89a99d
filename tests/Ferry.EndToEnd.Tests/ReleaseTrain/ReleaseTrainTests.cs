using System.Net;
using Ferry.EndToEnd.Tests.Harness;

namespace Ferry.EndToEnd.Tests.ReleaseTrain;

/// <summary>
/// examples/release-train end to end: the real server, API and git, and the app's real tests as deploy and verify
/// tasks. Each test runs its own train (repository, pipeline, deploy folder) on the shared server.
/// </summary>
public sealed class ReleaseTrainTests(ReleaseTrainServer fixture) : IClassFixture<ReleaseTrainServer>
{
    [Fact]
    public async Task Commit_ReachesStagingByItself_AndProductionTakesItOnlyWithAnApprovalFromOps()
    {
        await using var train = await Train.StartAsync(fixture, "train-approval");

        var development = await train.VerifiedAsync("development", "r1");
        var staging = await train.VerifiedAsync("staging", "r1");
        ((string?)development["lastPromotion"]!["trigger"]).ShouldBe("auto");
        ((string?)staging["lastPromotion"]!["trigger"]).ShouldBe("auto");
        train.Deployed("staging").ShouldBe("releases/r1");
        train.DeployedConfig("staging").ShouldContain("GREETING=Grüß Gott\n");
        (await train.ReleaseAsync("r1"))["verifiedIn"]!.AsArray().Select(e => (string?)e).Order().ShouldBe(["development", "staging"]);

        var withoutGreeting = await train.SendAsync(HttpMethod.Post, "environments/production/promotions", new { }, fixture.BobToken);
        withoutGreeting.Status.ShouldBe(HttpStatusCode.Conflict, withoutGreeting.ToString());
        ((string?)withoutGreeting.Body!["refusal"]!["kind"]).ShouldBe("required_variable_empty");
        ((string)withoutGreeting.Body["refusal"]!["message"]!).ShouldContain("GREETING");
        var set = await train.SendAsync(HttpMethod.Put, "environments/production/variables/GREETING", new { value = "Good day" }, fixture.BobToken);
        set.Status.ShouldBe(HttpStatusCode.NoContent, set.ToString());

        // Nothing but its manual policy keeps r1 out of production now: a promoter pass that began after the variable
        // was set would have promoted it, were production automatic.
        await fixture.Api.PassAfterNowAsync(fixture.Server, "promoter");
        var production = await train.EnvironmentAsync("production");
        (Train.Current(production), Train.Status(production)).ShouldBe((null, null), "a manual environment is never promoted by itself");
        ((string?)production["newestEligible"]).ShouldBe("r1");
        var explain = await train.SendAsync(HttpMethod.Get, "environments/production/explain");
        ((bool)explain.Body!["wouldPromote"]!).ShouldBeFalse(explain.ToString());
        ((string?)explain.Body["candidate"]).ShouldBe("r1");

        var promote = await train.SendAsync(HttpMethod.Post, "environments/production/promotions", new { }, fixture.BobToken);
        promote.Status.ShouldBe(HttpStatusCode.Created, promote.ToString());
        var id = (long)promote.Body!["id"]!;
        ((string?)promote.Body["requestedBy"]).ShouldBe("bob");
        await train.WaitAsync("production", e => Train.Status(e) == "awaiting_approval", "production awaiting approval");
        var self = await train.SendAsync(HttpMethod.Post, $"promotions/{id}/approve", new { }, fixture.BobToken);
        self.Status.ShouldBe(HttpStatusCode.Conflict, "the requester cannot approve their own promotion: " + self);
        var anonymous = await train.SendAsync(HttpMethod.Post, $"promotions/{id}/approve", new { }, FerryApi.NoToken);
        anonymous.Status.ShouldBe(HttpStatusCode.Unauthorized, "no approval counts from a client that is not signed in: " + anonymous);
        Train.Status(await train.EnvironmentAsync("production")).ShouldBe("awaiting_approval");

        var approve = await train.SendAsync(HttpMethod.Post, $"promotions/{id}/approve", new { comment = "ship it" }, fixture.AliceToken);
        approve.Status.ShouldBe(HttpStatusCode.OK, approve.ToString());
        production = await train.VerifiedAsync("production", "r1");
        production["lastPromotion"]!["votes"]!.AsArray().Select(v => (string?)v!["approver"]).ShouldBe(["alice"]);
        train.Deployed("production").ShouldBe("releases/r1");
        train.DeployedConfig("production").ShouldContain("GREETING=Good day\n");
        // The promotion's build is named by environment, release and promotion, in the CLI as in the API.
        var builds = await fixture.Server.CliAsync("builds", "-p", train.Pipeline);
        builds.Output.ShouldContain($"{train.Pipeline}/production r1 (promotion {id})");
        var actions = (await train.AuditAsync()).Select(a => (string?)a!["action"]).ToList();
        actions.ShouldContain("approval");
        actions.ShouldContain("variable_set");
    }

    [Fact]
    public async Task BreakingCommit_StopsInStaging_AndNothingPromotesItToProduction()
    {
        await using var train = await Train.StartAsync(fixture, "train-breaks");
        await train.VerifiedAsync("staging", "r1");

        await train.CommitAsync("greeter.py", ReleaseTrainExample.Break(train.Repo.ReadFile("greeter.py")), "Content-Length from the text");

        await train.VerifiedAsync("development", "r2");
        var staging = await train.WaitAsync("staging", e => Train.Status(e) == "failed", "staging's promotion of r2 failing its smoke test");
        ((string?)staging["lastPromotion"]!["release"]).ShouldBe("r2");
        Train.Current(staging).ShouldBe("r1", "staging's last verified release stays its current one");
        (await train.ReleaseAsync("r2"))["verifiedIn"]!.AsArray().Select(e => (string?)e).ShouldBe(["development"]);
        var production = await train.EnvironmentAsync("production");
        (Train.Current(production), Train.Status(production)).ShouldBe((null, null));

        await train.SendAsync(HttpMethod.Put, "environments/production/variables/GREETING", new { value = "Good day" });
        foreach (var token in new[] { null, fixture.AliceToken })
        {
            var refused = await train.SendAsync(HttpMethod.Post, "environments/production/promotions", new { release = "r2" }, token);
            refused.Status.ShouldBe(HttpStatusCode.Conflict, refused.ToString());
            ((string?)refused.Body!["refusal"]!["kind"]).ShouldBe("would_skip_environment");
            ((string)refused.Body["refusal"]!["message"]!).ShouldContain("staging");
        }
        var cli = await fixture.Server.CliAsync("promote", "-p", train.Pipeline, "-e", "production", "--release", "r2");
        cli.ExitCode.ShouldBe(1, cli.ToString());
        cli.Error.ShouldContain("that would skip staging");
        var dryRun = await train.SendAsync(HttpMethod.Post, "environments/production/promotions", new { release = "r2", dryRun = true });
        dryRun.Status.ShouldBe(HttpStatusCode.OK, "a dry run previews, refusal included: " + dryRun);
        ((string?)dryRun.Body!["refusal"]!["kind"]).ShouldBe("would_skip_environment");
        var rollback = await train.SendAsync(HttpMethod.Post, "environments/production/rollback", new { to = "r2" });
        rollback.Status.ShouldBe(HttpStatusCode.Conflict, rollback.ToString());
        var again = await train.SendAsync(HttpMethod.Post, "environments/staging/promotions", new { release = "r2" });
        again.Status.ShouldBe(HttpStatusCode.Created, "r2 may go into staging again: it is verified in development\n" + again);
        await train.WaitAsync("staging", e => Train.Status(e) == "failed" && (string?)e["lastPromotion"]!["trigger"] == "manual",
            "the manual promotion of r2 into staging failing too");
        production = await train.EnvironmentAsync("production");
        (Train.Current(production), Train.Status(production)).ShouldBe((null, null));
    }

    [Fact]
    public async Task Rollback_ToAnOlderRelease_HoldsTheEnvironment_UntilTheHoldIsReleased()
    {
        await using var train = await Train.StartAsync(fixture, "train-rollback");
        await train.VerifiedAsync("staging", "r1");
        await train.CommitAsync("NOTES.md", "a harmless change\n", "notes");
        await train.VerifiedAsync("staging", "r2");

        var rollback = await train.SendAsync(HttpMethod.Post, "environments/staging/rollback", new { to = "r1" });
        rollback.Status.ShouldBe(HttpStatusCode.Created, rollback.ToString());
        ((string?)rollback.Body!["trigger"]).ShouldBe("rollback");
        await train.CommitAsync("NOTES.md", "another harmless change\n", "more notes");
        var rolledBack = await train.VerifiedAsync("staging", "r1");
        rolledBack["hold"].ShouldNotBeNull("a rollback holds the environment");
        train.Deployed("staging").ShouldBe("releases/r1");

        await train.VerifiedAsync("development", "r3");
        // A promoter pass that began after r3 was verified in development would have promoted it, were staging not held.
        await fixture.Api.PassAfterNowAsync(fixture.Server, "promoter");
        var held = await train.EnvironmentAsync("staging");
        (Train.Current(held), (string?)held["lastPromotion"]!["release"]).ShouldBe(("r1", "r1"),
            "automatic promotion must not undo a rollback during its hold");
        ((string?)held["newestEligible"]).ShouldBe("r3");
        var explain = await train.SendAsync(HttpMethod.Get, "environments/staging/explain");
        ((bool)explain.Body!["wouldPromote"]!).ShouldBeFalse(explain.ToString());

        var release = await train.SendAsync(HttpMethod.Delete, "environments/staging/hold");
        release.Status.ShouldBe(HttpStatusCode.OK, release.ToString());
        var resumed = await train.VerifiedAsync("staging", "r3");
        resumed["hold"].ShouldBeNull();
        ((string?)resumed["lastPromotion"]!["trigger"]).ShouldBe("auto");
        train.Deployed("staging").ShouldBe("releases/r3");
        var actions = (await train.AuditAsync()).Select(a => (string?)a!["action"]).ToList();
        actions.ShouldContain("rollback");
        actions.ShouldContain("hold_lifted");
    }

    [Fact]
    public async Task PullRequestBranch_GetsAnEnvironmentOfItsOwn_UntilTheBranchIsDeleted()
    {
        await using var train = await Train.StartAsync(fixture, "train-pr");

        await train.Repo.CommitOnBranchAsync("pr/docs", "NOTES.md", "a pull request\n", "docs");
        await train.CheckAsync("pull-requests");

        var pr = await train.WaitAsync("pr-docs", e => Train.Status(e) == "succeeded", "pr-docs deployed and smoke-tested");
        ((string?)pr["forEach"]).ShouldBe("pull-requests");
        ((string?)pr["branch"]).ShouldBe("pr/docs");
        train.Deployed("pr-docs").ShouldBe($"releases/{Train.Current(pr)}");
        train.DeployedConfig("pr-docs").ShouldContain("GREETING=Hello from a pull request\n");

        await train.Repo.DeleteBranchAsync("pr/docs");
        await train.CheckAsync("pull-requests");
        await FerryApi.EventuallyAsync(async () => !(await train.EnvironmentNamesAsync()).Contains("pr-docs") && !Directory.Exists(Path.Combine(train.DeployRoot, "pr-docs")),
            "pr-docs gone and its deployment removed by the teardown", fixture.Server, TimeSpan.FromSeconds(90));
    }
}
