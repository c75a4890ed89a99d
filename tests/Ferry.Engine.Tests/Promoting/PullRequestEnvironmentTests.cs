namespace Ferry.Engine.Tests.Promoting;

/// <summary>
/// Per-pull-request environments with the real loops and git: a branch under <c>pr/*</c> gets an environment of its
/// own that each new commit of the branch is deployed to, which is torn down when the branch goes; the main chain
/// never sees a pull request's commits.
/// </summary>
public sealed class PullRequestEnvironmentTests : IAsyncLifetime
{
    private const string Yaml = """
        resources:
          - name: app
            type: git
            source: { uri: ((repo)), branch: main }
          - name: prs
            type: git
            source: { uri: ((repo)), branches: "pr/*" }
        jobs:
          - name: unit
            plan:
              - get: app
                trigger: true
        environments:
          - name: pr
            for_each: prs
            variables: { GREETING: hello-pr }
            deploy:
              - task: deploy
                config: { platform: linux, inputs: [{ name: prs }], run: { path: sh, args: [-c, "echo deploying $FERRY_RELEASE to $FERRY_ENVIRONMENT: $(cat prs/STATUS) $GREETING"] } }
            verify:
              - task: check
                config: { platform: linux, inputs: [{ name: prs }], run: { path: sh, args: [-c, "grep -qx ok prs/STATUS"] } }
            teardown:
              - task: teardown
                config: { platform: linux, run: { path: sh, args: [-c, "echo tearing down $FERRY_ENVIRONMENT after $FERRY_RELEASE"] } }
          - name: development
            release: [app]
            from: [unit]
            deploy:
              - task: deploy
                config: { platform: linux, inputs: [{ name: app }], run: { path: sh, args: [-c, "echo deploying $FERRY_RELEASE"] } }
        """;

    private readonly HashSet<string> _branches = [];
    private PromotionHarness _h = null!;

    public async Task InitializeAsync() => _h = await PromotionHarness.StartAsync(Yaml);

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private string CommitOnBranch(string branch, string content, string message)
    {
        var local = "work-" + branch.Replace('/', '-');
        _h.Remote.Run(_h.Remote.Work, _branches.Add(local) ? ["checkout", "-q", "-b", local] : ["checkout", "-q", local]);
        var sha = _h.Remote.Commit("PR_NOTE", content, message, branch);
        _h.Remote.Run(_h.Remote.Work, "checkout", "-q", "main");
        return sha;
    }

    [Fact]
    public async Task Branch_GetsItsOwnEnvironment_EachNewCommitIsDeployed_AndItIsTornDownWhenTheBranchGoes()
    {
        await _h.SettleAsync();
        var names = (await _h.Promotions.ListEnvironmentsAsync("train", default)).Select(e => e.Name).ToList();
        names.ShouldBe(["pr", "development"]);
        (await _h.EnvironmentAsync("development")).Current!.Name.ShouldBe("r1");

        var first = CommitOnBranch("pr/7", "ok\n", "pull request 7");
        await _h.SettleAsync();
        var pr = await _h.EnvironmentAsync("pr-7");
        pr.Branch.ShouldBe("pr/7");
        pr.ForEach.ShouldBe("prs");
        pr.Current!.Versions["prs"]["ref"].ShouldBe(first);
        pr.Status.ShouldBe("succeeded");
        (await _h.LogAsync(pr.LastPromotion!.BuildId!.Value)).ShouldContain($"deploying {pr.Current.Name} to pr-7: ok hello-pr");

        var second = CommitOnBranch("pr/7", "ok\n\n", "pull request 7, again");
        await _h.SettleAsync();
        pr = await _h.EnvironmentAsync("pr-7");
        pr.Current!.Versions["prs"]["ref"].ShouldBe(second);
        (await _h.EnvironmentAsync("development")).Current!.Name.ShouldBe("r1", "a pull request's commits never enter the main chain");
        var refused = await Should.ThrowAsync<Core.Promotion.PromotionRefusedException>(() =>
            _h.Promotions.PromoteAsync("train", "development", pr.Current.Name, Core.Promotion.Actor.Owner("root"), default));
        refused.Refusal.Kind.ShouldBe(Core.Promotion.RefusalKind.ReleaseDoesNotFit);
        refused.Message.ShouldContain("takes releases of app");

        // The branch goes; the API notices first (pr-7 leaves the pipeline), then the server restarts before the
        // promoter's next pass: the teardown is still owed, and runs once.
        _h.Remote.Run(_h.Remote.Work, "push", "-q", "origin", ":refs/heads/pr/7");
        await _h.CheckAllAsync();
        (await _h.Promotions.ListEnvironmentsAsync("train", default)).Select(e => e.Name).ShouldNotContain("pr-7");
        _h.RestartPromoter();
        await _h.SettleAsync();
        await _h.SettleAsync();
        var teardowns = (await _h.Store.ListBuildsAsync(new BuildQuery(Limit: 100)))
            .Where(b => b.PlanJson.Contains("\"kind\":\"teardown\"", StringComparison.Ordinal)).ToList();
        var teardown = teardowns.ShouldHaveSingleItem();
        teardown.JobName.ShouldBeNull();
        teardown.Status.ShouldBe(Core.Builds.BuildStatus.Succeeded, await _h.LogAsync(teardown.Id));
        (await _h.LogAsync(teardown.Id)).ShouldContain($"tearing down pr-7 after {pr.Current.Name}");
    }
}
