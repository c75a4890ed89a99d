using Ferry.Core.Builds;
using Ferry.Core.Promotion;
using Ferry.Storage;

namespace Ferry.Engine.Tests.Promoting;

/// <summary>
/// Releases moving through development -> staging -> production with the real loops, git and SQLite: automatic
/// environments take each new release by themselves, a failing verify stops a release where it failed, production
/// waits for a person and an approval, and nothing skips an environment.
/// </summary>
public sealed class PromotionFlowTests : IAsyncLifetime
{
    private const string Task = """
        platform: linux
        inputs: [{ name: app }]
        run: { path: sh, args: [-c, "{0}"] }
        """;

    private static readonly string Yaml = $$"""
        resources:
          - name: app
            type: git
            source: { uri: ((repo)), branch: main }
        jobs:
          - name: unit
            plan:
              - get: app
                trigger: true
              - task: test
                config: { platform: linux, inputs: [{ name: app }], run: { path: sh, args: [-c, "grep -qx ok app/STATUS"] } }
        environments:
          - name: development
            release: [app]
            from: [unit]
            variables: { GREETING: hello-dev }
            deploy: [{{Step("deploy", "echo deploying $FERRY_RELEASE to $FERRY_ENVIRONMENT: $GREETING token=$TOKEN")}}]
            verify: [{{Step("smoke", "test ! -e app/FAIL_$FERRY_ENVIRONMENT")}}]
          - name: staging
            from: [development]
            variables: { GREETING: hello-staging }
            deploy: [{{Step("deploy", "echo deploying $FERRY_RELEASE to $FERRY_ENVIRONMENT: $GREETING")}}]
            verify: [{{Step("smoke", "test ! -e app/FAIL_$FERRY_ENVIRONMENT")}}]
          - name: production
            from: [staging]
            promote: manual
            approval: { required: 1, from: [ops] }
            on_failure: rollback
            variables: { API_KEY: { required: true } }
            deploy: [{{Step("deploy", "echo deploying $FERRY_RELEASE with key $API_KEY")}}]
            verify: [{{Step("smoke", "test ! -e app/FAIL_$FERRY_ENVIRONMENT")}}]
        """;

    private PromotionHarness _h = null!;

    private static string Step(string name, string script) =>
        $$"""{ task: {{name}}, config: { platform: linux, inputs: [{ name: app }], run: { path: sh, args: [-c, "{{script}}"] } } }""";

    public async Task InitializeAsync() => _h = await PromotionHarness.StartAsync(Yaml);

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task Commit_ReachesStagingByItself_AndProductionWaitsForApproval()
    {
        await _h.SettleAsync();

        var development = await _h.EnvironmentAsync("development");
        development.Current!.Name.ShouldBe("r1");
        development.Status.ShouldBe("succeeded");
        var staging = await _h.EnvironmentAsync("staging");
        staging.Current!.Name.ShouldBe("r1");
        var production = await _h.EnvironmentAsync("production");
        production.Current.ShouldBeNull();
        production.NewestEligible.ShouldBe("r1");
        (await _h.Promotions.ExplainAsync("train", "production", default)).Why.ShouldContain("waits for someone to promote it");
        var deployLog = await _h.LogAsync(development.LastPromotion!.BuildId!.Value);
        deployLog.ShouldContain("deploying r1 to development: hello-dev");

        var alice = Actor.User("alice", "dev");
        var missing = await Should.ThrowAsync<PromotionRefusedException>(() => _h.Promotions.PromoteAsync("train", "production", null, alice, default));
        missing.Refusal.Kind.ShouldBe(RefusalKind.RequiredVariableEmpty);
        missing.Message.ShouldContain("API_KEY");

        await _h.Promotions.SetVariableAsync("train", "production", "API_KEY", "s3cr3t-key", secret: true, alice, default);
        var preview = await _h.Promotions.PreviewAsync("train", "production", null, alice, default);
        preview.Refusal.ShouldBeNull();
        preview.Changes.Single().Resource.ShouldBe("app");
        preview.Changes.Single().Commits.Single().Subject.ShouldBe("first");

        var promotion = await _h.Promotions.PromoteAsync("train", "production", null, alice, default);
        promotion.Status.ShouldBe("awaiting_approval");
        await Should.ThrowAsync<PromotionRefusedException>(() => _h.Promotions.DecideAsync("train", promotion.Id, true, null, alice, default));
        await Should.ThrowAsync<PromotionRefusedException>(() => _h.Promotions.DecideAsync("train", promotion.Id, true, null, Actor.User("eve", "dev"), default));
        (await _h.Promotions.DecideAsync("train", promotion.Id, true, "ship it", Actor.User("bob", "ops"), default)).Status.ShouldBe("approved");
        await _h.SettleAsync();

        production = await _h.EnvironmentAsync("production");
        production.Current!.Name.ShouldBe("r1");
        production.Current.By.ShouldBe("alice");
        var log = await _h.LogAsync(production.LastPromotion!.BuildId!.Value);
        log.ShouldContain("deploying r1 with key");
        log.ShouldNotContain("s3cr3t-key");
        var audit = await _h.Promotions.AuditAsync("train", 100, default);
        audit.ShouldContain(a => a.Action == "approval" && a.Actor == "bob" && a.Environment == "production");
        audit.ShouldContain(a => a.Action == "variable_set" && a.Detail == "API_KEY (secret)");
    }

    [Fact]
    public async Task FailingSmokeTest_StopsTheReleaseInStaging()
    {
        await _h.SettleAsync();
        _h.Remote.Commit("FAIL_staging", "x\n", "breaks staging's smoke test");
        await _h.SettleAsync();

        (await _h.EnvironmentAsync("development")).Current!.Name.ShouldBe("r2");
        var staging = await _h.EnvironmentAsync("staging");
        staging.Status.ShouldBe("failed");
        staging.Current!.Name.ShouldBe("r1", "staging keeps its last good release");
        staging.LastPromotion!.Reason.ShouldBe("verify failed");
        (await _h.EnvironmentAsync("production")).NewestEligible.ShouldBe("r1");
        var refused = await Should.ThrowAsync<PromotionRefusedException>(() =>
            _h.Promotions.PromoteAsync("train", "production", "r2", Actor.Owner("root"), default));
        refused.Refusal.Kind.ShouldBe(RefusalKind.WouldSkipEnvironment);
        refused.Message.ShouldContain("skip staging");
        (await _h.Promotions.ExplainAsync("train", "staging", default)).Why.ShouldContain("automatic promotion does not retry it");
    }

    [Fact]
    public async Task Rollback_HoldsTheEnvironment_UntilTheHoldIsLifted()
    {
        await _h.SettleAsync();
        _h.Remote.Commit("README", "two\n", "second");
        await _h.SettleAsync();
        (await _h.EnvironmentAsync("staging")).Current!.Name.ShouldBe("r2");

        var rollback = await _h.Promotions.RollbackAsync("train", "staging", "r1", Actor.User("carol"), default);
        rollback.Trigger.ShouldBe("rollback");
        await _h.SettleAsync();
        var staging = await _h.EnvironmentAsync("staging");
        staging.Current!.Name.ShouldBe("r1");
        staging.Hold!.Reason.ShouldBe("a rollback to r1");

        _h.Remote.Commit("README", "three\n", "third");
        await _h.SettleAsync();
        (await _h.EnvironmentAsync("development")).Current!.Name.ShouldBe("r3");
        (await _h.EnvironmentAsync("staging")).Current!.Name.ShouldBe("r1", "the hold keeps automatic promotion away");
        (await _h.Promotions.ExplainAsync("train", "staging", default)).Why.ShouldContain("on hold since a rollback to r1 by carol");

        await _h.Promotions.LiftHoldAsync("train", "staging", Actor.User("carol"), default);
        await _h.SettleAsync();
        (await _h.EnvironmentAsync("staging")).Current!.Name.ShouldBe("r3");
        var actions = (await _h.Promotions.AuditAsync("train", 100, default)).Select(a => a.Action).ToList();
        actions.ShouldContain("rollback");
        actions.ShouldContain("hold_lifted");
    }

    [Fact]
    public async Task FailedProductionPromotion_RollsBackToTheLastVerifiedRelease()
    {
        await _h.SettleAsync();
        var owner = Actor.Owner("root", "ops");
        var approver = Actor.User("bob", "ops");
        await _h.Promotions.SetVariableAsync("train", "production", "API_KEY", "k", secret: false, owner, default);
        var first = await _h.Promotions.PromoteAsync("train", "production", "r1", owner, default);
        await _h.Promotions.DecideAsync("train", first.Id, true, null, approver, default);
        await _h.SettleAsync();
        (await _h.EnvironmentAsync("production")).Current!.Name.ShouldBe("r1");

        _h.Remote.Commit("FAIL_production", "x\n", "only production's smoke test fails");
        await _h.SettleAsync();
        (await _h.EnvironmentAsync("staging")).Current!.Name.ShouldBe("r2");
        var second = await _h.Promotions.PromoteAsync("train", "production", "r2", owner, default);
        await _h.Promotions.DecideAsync("train", second.Id, true, null, approver, default);
        await _h.SettleAsync();

        var promotions = await _h.Promotions.ListPromotionsAsync("train", "production", 10, default);
        promotions[0].Trigger.ShouldBe("rollback");
        promotions[0].Release.ShouldBe("r1");
        promotions[0].Status.ShouldBe("succeeded");
        promotions[1].Status.ShouldBe("failed");
        var production = await _h.EnvironmentAsync("production");
        production.Current!.Name.ShouldBe("r1");
        production.Hold.ShouldBeNull("an automatic rollback does not hold the environment");
        var build = await _h.Store.GetBuildAsync(promotions[1].BuildId!.Value);
        build!.Status.ShouldBe(BuildStatus.Failed);
    }
}
