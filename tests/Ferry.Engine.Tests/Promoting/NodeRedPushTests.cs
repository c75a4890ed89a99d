using System.Text.Json.Nodes;
using Ferry.Core.Flows;
using Ferry.Core.Promotion;
using Ferry.Engine.Pushing;
using Ferry.Tests.LocalServers;
using static Ferry.Tests.LocalServers.TestFlows;

namespace Ferry.Engine.Tests.Promoting;

/// <summary>
/// FlowFuse's push from a stage to the next with real Node-RED instances and the real loops: a snapshot taken now,
/// the source's latest, an earlier one; the preview names the flow changes by tab and the keys arriving empty.
/// </summary>
public sealed class NodeRedPushTests : IAsyncLifetime
{
    private readonly Actor _alice = Actor.User("alice", "dev");
    private PromotionHarness _h = null!;
    private NodeRedInstance _dev = null!;
    private NodeRedInstance _staging = null!;

    public async Task InitializeAsync()
    {
        if (NodeRedInstance.SkipReason is not null)
            return;
        _dev = await NodeRedInstance.StartAsync();
        _staging = await NodeRedInstance.StartAsync();
        // production's instance is never reached: the tests only ask what a push into it would take.
        _h = await PromotionHarness.StartAsync(Stages(_dev.Url, _staging.Url, "http://127.0.0.1:9"));
    }

    public async Task DisposeAsync()
    {
        if (_h is not null)
            await _h.DisposeAsync();
        if (_dev is not null)
            await _dev.DisposeAsync();
        if (_staging is not null)
            await _staging.DisposeAsync();
    }

    private static IReadOnlyList<string?> Ids(JsonArray flows) => [.. flows.Select(n => (string?)n!["id"])];

    /// <summary>Runs the loops while the push waits for them (it gets a new snapshot through development first).</summary>
    private async Task<T> WhileSettlingAsync<T>(Task<T> push)
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (!push.IsCompleted && DateTime.UtcNow < deadline)
        {
            await _h.SettleAsync();
            await Task.WhenAny(push, Task.Delay(50));
        }
        var result = await push;
        await _h.SettleAsync();
        return result;
    }

    [NodeRedFact]
    public async Task Push_TakesASnapshotNow_PreviewsTheFlowDiffByTab_AndDeploysIntoTheNextStage()
    {
        await _staging.DeployAsync(Orders(Env("API_URL", "http://staging"), "tick"));
        await _dev.DeployAsync(Orders(Env("API_URL", "http://dev") + "," + Env("NEW_KEY", "dev-only"), "tock", withDebug: false, withBilling: true));

        var preview = await _h.Pushes.PreviewAsync("train", "staging", PushSnapshot.Now, _alice, default);

        preview.From.ShouldBe("development");
        preview.Release.ShouldBe("r1");
        preview.Note.ShouldContain("taken now");
        preview.Preview.Refusal.ShouldBeNull();
        preview.Preview.KeysWithoutValue.ShouldBe(["NEW_KEY"]);
        var flows = preview.Preview.Flows.ShouldNotBeNull();
        var orders = flows.Groups.Single(g => g.Label == "Orders");
        orders.Status.ShouldBe(FlowGroupStatus.Changed);
        orders.Changed.Select(c => (c.Id, string.Join(",", c.Properties))).ShouldContain(("n1", "name,wires"));
        orders.Removed.Select(c => c.Id).ShouldBe(["n2"]);
        var billing = flows.Groups.Single(g => g.Label == "Billing");
        billing.Status.ShouldBe(FlowGroupStatus.Added);
        billing.Added.Select(c => c.Id).ShouldBe(["t2", "n3"], ignoreOrder: true);
        flows.EnvKeysAdded.ShouldBe(["NEW_KEY"]);
        (await _staging.GetFlowsAsync()).Flows.Count.ShouldBe(3, "a preview deploys nothing");

        var pushed = await WhileSettlingAsync(_h.Pushes.PushAsync("train", "staging", PushSnapshot.Parse(preview.Release), _alice, default));

        pushed.Promotion.ShouldNotBeNull().RequestedBy.ShouldBe("alice");
        (await _h.EnvironmentAsync("development")).Current!.Name.ShouldBe("r1");
        var staging = await _h.EnvironmentAsync("staging");
        staging.Current!.Name.ShouldBe("r1");
        staging.Instance.ShouldNotBeNull().Url.ShouldBe(_staging.Url);
        var deployed = (await _staging.GetFlowsAsync()).Flows;
        Ids(deployed).ShouldBe(["t1", "n1", "t2", "n3"]);
        deployed.OfType<JsonObject>().Single(n => (string?)n["id"] == "n1")["name"]!.GetValue<string>().ShouldBe("tock");
        var tabEnv = deployed.OfType<JsonObject>().Single(n => (string?)n["id"] == "t1")["env"]!.AsArray();
        tabEnv.Select(e => ((string)e!["name"]!, (string)e["value"]!)).ShouldBe([("API_URL", "http://staging"), ("NEW_KEY", "")]);
        var audit = await _h.Promotions.AuditAsync("train", 50, default);
        audit.ShouldContain(a => a.Environment == "staging" && a.Actor == "alice");
    }

    [NodeRedFact]
    public async Task Push_TakesTheLatestOrAnEarlierSnapshot_AndExplainsNowDownstream()
    {
        await _dev.DeployAsync(Orders(Env("API_URL", "http://dev"), "first"));
        await _h.SettleAsync();
        await _dev.DeployAsync(Orders(Env("API_URL", "http://dev"), "second"));
        await _h.SettleAsync();
        (await _h.EnvironmentAsync("development")).Current!.Name.ShouldBe("r2");

        var options = await _h.Pushes.OptionsAsync("train", "staging", default);
        options.Latest.ShouldBe("r2");
        options.Earlier.Select(r => r.Name).ShouldBe(["r1"]);
        options.Now.ShouldContain("dev-flows");

        var latest = await WhileSettlingAsync(_h.Pushes.PushAsync("train", "staging", PushSnapshot.Latest, _alice, default));
        latest.Release.ShouldBe("r2");
        (await _staging.GetFlowsAsync()).Flows.OfType<JsonObject>().Single(n => (string?)n["id"] == "n1")["name"]!.GetValue<string>().ShouldBe("second");

        var back = await _h.Pushes.PreviewAsync("train", "staging", PushSnapshot.Parse("r1"), _alice, default);
        back.Preview.Flows.ShouldNotBeNull().Groups.Single().Changed.Single().Properties.ShouldBe(["name"]);
        await WhileSettlingAsync(_h.Pushes.PushAsync("train", "staging", PushSnapshot.Parse("r1"), _alice, default));
        (await _h.EnvironmentAsync("staging")).Current!.Name.ShouldBe("r1");
        (await _staging.GetFlowsAsync()).Flows.OfType<JsonObject>().Single(n => (string?)n["id"] == "n1")["name"]!.GetValue<string>().ShouldBe("first");

        // Downstream, "now" is what Ferry deployed there: staging's current release, and the note says why.
        var production = await _h.Pushes.OptionsAsync("train", "production", default);
        production.From.ShouldBe("staging");
        production.Latest.ShouldBe("r1");
        production.Now.ShouldContain("drift");
        await Should.ThrowAsync<ArgumentException>(() => _h.Pushes.OptionsAsync("train", "development", default));
    }

    [NodeRedFact]
    public async Task Push_IsRefusedOntoADriftedStage_UntilForced_WhichOverwritesTheHandEdit()
    {
        await _dev.DeployAsync(Orders(Env("API_URL", "http://dev"), "first"));
        await _h.SettleAsync();
        await WhileSettlingAsync(_h.Pushes.PushAsync("train", "staging", PushSnapshot.Latest, _alice, default));
        await _staging.DeployAsync(Orders(Env("API_URL", "http://staging"), "edited in the editor"));
        await _dev.DeployAsync(Orders(Env("API_URL", "http://dev"), "second"));
        await _h.SettleAsync();

        var preview = await _h.Pushes.PreviewAsync("train", "staging", PushSnapshot.Latest, _alice, default);
        preview.Release.ShouldBe("r2");
        preview.Preview.Refusal.ShouldNotBeNull().Kind.ShouldBe("instance_drifted");
        preview.Preview.Drift.ShouldNotBeNull();
        await Should.ThrowAsync<PromotionRefusedException>(() => _h.Pushes.PushAsync("train", "staging", PushSnapshot.Latest, _alice, default));
        (await _staging.GetFlowsAsync()).Flows.OfType<JsonObject>().Single(n => (string?)n["id"] == "n1")["name"]!.GetValue<string>()
            .ShouldBe("edited in the editor", "a refused push overwrites nothing");

        var forced = await WhileSettlingAsync(_h.Pushes.PushAsync("train", "staging", PushSnapshot.Latest, _alice, default, force: true));

        forced.Promotion.ShouldNotBeNull();
        (await _h.EnvironmentAsync("staging")).Current!.Name.ShouldBe("r2");
        (await _staging.GetFlowsAsync()).Flows.OfType<JsonObject>().Single(n => (string?)n["id"] == "n1")["name"]!.GetValue<string>().ShouldBe("second");
    }

    [NodeRedFact]
    public async Task Push_FailsWithTheCheckError_WhenTheSourceInstanceIsDown()
    {
        await _dev.DeployAsync(Orders(Env("API_URL", "http://dev"), "first"));
        await _dev.DisposeAsync();
        _dev = null!;

        var failed = await Should.ThrowAsync<PushFailedException>(() => _h.Pushes.PreviewAsync("train", "staging", PushSnapshot.Now, _alice, default));

        failed.Message.ShouldContain("the check of dev-flows failed");
        (await _h.Promotions.ListReleasesAsync("train", 10, default)).ShouldBeEmpty();
    }
}
