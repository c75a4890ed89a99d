using Ferry.Tests.LocalServers;
using System.Text.Json.Nodes;
using Ferry.Core.Promotion;
using Ferry.Engine.Tests.Resources;
using static Ferry.Tests.LocalServers.TestFlows;

namespace Ferry.Engine.Tests.Promoting;

/// <summary>
/// FlowFuse's stages with the real loops and three real Node-RED instances: development's snapshots are releases,
/// a promotion pushes the release's flows into the next instance, environment keys travel and values stay.
/// </summary>
public sealed class NodeRedPromotionTests : IAsyncLifetime
{
    private readonly List<NodeRedInstance> _instances = [];
    private PromotionHarness _h = null!;
    private NodeRedInstance _dev = null!;
    private NodeRedInstance _staging = null!;
    private NodeRedInstance _production = null!;

    public async Task InitializeAsync()
    {
        if (NodeRedInstance.SkipReason is not null)
            return;
        // Development has a node module the others lack.
        _instances.Add(await NodeRedInstance.StartAsync(new NodeRedOptions(UserDir: NodeRedShoutModule.Install)));
        foreach (var _ in Enumerable.Range(0, 2))
            _instances.Add(await NodeRedInstance.StartAsync());
        (_dev, _staging, _production) = (_instances[0], _instances[1], _instances[2]);
        _h = await PromotionHarness.StartAsync(Stages(_dev.Url, _staging.Url, _production.Url));
    }

    public async Task DisposeAsync()
    {
        if (_h is not null)
            await _h.DisposeAsync();
        foreach (var instance in _instances)
            await instance.DisposeAsync();
    }

    private static IReadOnlyList<(string, string)> TabEnv(JsonArray flows) =>
        [.. flows.OfType<JsonObject>().Single(n => (string?)n["id"] == "t1")["env"]!.AsArray().Select(e => ((string)e!["name"]!, (string)e["value"]!))];

    [NodeRedFact]
    public async Task DevSnapshot_BecomesAReleaseThatStagingReceives_WithStagingsOwnValues()
    {
        await _staging.DeployAsync(Orders(Env("API_URL", "http://staging")));
        await _dev.DeployAsync(Orders(Env("API_URL", "http://dev") + "," + Env("NEW_KEY", "dev-only")));

        await _h.SettleAsync();

        var development = await _h.EnvironmentAsync("development");
        development.Current!.Name.ShouldBe("r1");
        var release = (await _h.Promotions.ListReleasesAsync("train", 10, default)).ShouldHaveSingleItem();
        release.Versions["dev-flows"]["rev"].ShouldBe((await _dev.GetFlowsAsync()).Rev);
        var alice = Actor.User("alice", "dev");
        var skipping = await Should.ThrowAsync<PromotionRefusedException>(() => _h.Promotions.PromoteAsync("train", "production", "r1", alice, default));
        skipping.Message.ShouldContain("staging");

        var preview = await _h.Promotions.PreviewAsync("train", "staging", "r1", alice, default);
        preview.KeysWithoutValue.ShouldBe(["NEW_KEY"]);
        preview.Refusal.ShouldBeNull();

        await _h.Promotions.PromoteAsync("train", "staging", "r1", alice, default);
        await _h.SettleAsync();

        (await _h.EnvironmentAsync("staging")).Current!.Name.ShouldBe("r1");
        var staged = (await _staging.GetFlowsAsync()).Flows;
        staged.Select(n => (string?)n!["id"]).ShouldBe(["t1", "n1", "n2"]);
        TabEnv(staged).ShouldBe([("API_URL", "http://staging"), ("NEW_KEY", "")]);
        TabEnv((await _dev.GetFlowsAsync()).Flows).ShouldBe([("API_URL", "http://dev"), ("NEW_KEY", "dev-only")]);
        (await _h.EnvironmentAsync("production")).NewestEligible.ShouldBe("r1");
        (await _h.Promotions.PreviewAsync("train", "production", "r1", alice, default)).KeysWithoutValue.ShouldBe(["API_URL", "NEW_KEY"]);
    }

    [NodeRedFact]
    public async Task Promotion_FailsNamingUrlAndKeepsRecordedState_WhenInstanceIsStopped()
    {
        var alice = Actor.User("alice", "dev");
        await _dev.DeployAsync(Orders(Env("API_URL", "http://dev")));
        await _h.SettleAsync();
        await _h.Promotions.PromoteAsync("train", "staging", "r1", alice, default);
        await _h.SettleAsync();
        var before = (await _h.EnvironmentAsync("staging")).Current!;
        await _dev.DeployAsync(Orders(Env("API_URL", "http://dev-2")));
        await _h.SettleAsync();
        await _staging.StopAsync();

        await _h.Promotions.PromoteAsync("train", "staging", "r2", alice, default);
        await _h.SettleAsync();

        var staging = await _h.EnvironmentAsync("staging");
        staging.LastPromotion!.Release.ShouldBe("r2");
        // Errored, not failed: the deploy could not run, which is no verdict on the release.
        staging.LastPromotion.Status.ShouldBe("errored");
        var log = await _h.LogAsync(staging.LastPromotion.BuildId!.Value);
        // The put asks the instance for its node sets and its flows at once: whichever fails first is named.
        log.ShouldMatch($@"node-red: GET {System.Text.RegularExpressions.Regex.Escape(_staging.Url)}/(nodes|flows) failed");
        log.ShouldContain("is the instance running at source.url?");
        staging.Current!.Name.ShouldBe("r1");
        staging.Current.Since.ShouldBe(before.Since);
        var releases = await _h.Promotions.ListReleasesAsync("train", 10, default);
        releases.Single(r => r.Name == "r2").VerifiedIn.ShouldNotContain("staging");
        releases.Single(r => r.Name == "r1").VerifiedIn.ShouldContain("staging");
        (await _h.EnvironmentAsync("production")).NewestEligible.ShouldBe("r1");
    }

    [NodeRedFact]
    public async Task Promotion_IsPreviewedWithMissingModulesAndFailsUndeployed_WhenTargetLacksThem()
    {
        var alice = Actor.User("alice", "dev");
        await _staging.DeployAsync(Orders(Env("API_URL", "http://staging")));
        var staged = await _staging.GetFlowsAsync();
        await _dev.DeployAsync(NodeRedShoutModule.Flows("Shouting"));
        await _h.SettleAsync();

        var preview = await _h.Promotions.PreviewAsync("train", "staging", "r1", alice, default);
        preview.MissingModules.Select(m => m.ToString()).ShouldBe(["node-red-contrib-ferry-shout@1.2.3 (ferry-shout)"]);

        await _h.Promotions.PromoteAsync("train", "staging", "r1", alice, default);
        await _h.SettleAsync();

        var staging = await _h.EnvironmentAsync("staging");
        staging.LastPromotion!.Status.ShouldBe("errored");
        staging.Current.ShouldBeNull();
        (await _h.LogAsync(staging.LastPromotion.BuildId!.Value)).ShouldContain("lacks node modules the flows use: node-red-contrib-ferry-shout@1.2.3 (ferry-shout)");
        (await _staging.GetFlowsAsync()).Rev.ShouldBe(staged.Rev);
    }
}
