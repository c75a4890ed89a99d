using System.Text.Json.Nodes;
using Ferry.Core.Audit;
using Ferry.Core.Promotion;
using Ferry.Engine.Resources.NodeRed;
using Ferry.Engine.Tests.Promoting;
using Ferry.Engine.Tests.Resources;
using Ferry.Tests.LocalServers;
using static Ferry.Tests.LocalServers.TestFlows;

namespace Ferry.Engine.Tests.Instances;

/// <summary>
/// Snapshots and drift with the real loops and two real Node-RED instances: what a promotion deploys is recorded, a
/// hand edit in staging's editor is seen as drift with its diff, a push onto it is refused until forced, and an
/// instance rolls back to an earlier snapshot.
/// </summary>
public sealed class InstanceDriftTests : IAsyncLifetime
{
    private readonly List<NodeRedInstance> _instances = [];
    private PromotionHarness _h = null!;
    private NodeRedInstance _dev = null!;
    private NodeRedInstance _staging = null!;
    private static readonly Actor Alice = Actor.User("alice", "dev");

    public async Task InitializeAsync()
    {
        if (NodeRedInstance.SkipReason is not null)
            return;
        foreach (var _ in Enumerable.Range(0, 2))
            _instances.Add(await NodeRedInstance.StartAsync());
        (_dev, _staging) = (_instances[0], _instances[1]);
        _h = await PromotionHarness.StartAsync(Stages(_dev.Url, _staging.Url));
    }

    public async Task DisposeAsync()
    {
        if (_h is not null)
            await _h.DisposeAsync();
        foreach (var instance in _instances)
            await instance.DisposeAsync();
    }

    private static JsonArray Flows(string debugName, string apiUrl = "http://dev", string extra = "") => JsonNode.Parse($$"""
        [
          {"id": "t1", "type": "tab", "label": "Orders", "env": [{"name": "API_URL", "value": "{{apiUrl}}", "type": "str"}]},
          {"id": "n1", "type": "inject", "z": "t1", "name": "tick", "props": [], "repeat": "", "once": false, "wires": [["n2"]]},
          {"id": "n2", "type": "debug", "z": "t1", "name": "{{debugName}}", "active": true, "wires": []}{{extra}}
        ]
        """)!.AsArray();

    private static string NameOf(JsonArray flows, string id) => (string)flows.OfType<JsonObject>().Single(n => (string?)n["id"] == id)["name"]!;

    /// <summary>Development runs <paramref name="debugName"/>, its snapshot becomes a release, and alice promotes it into staging.</summary>
    private async Task<string> ReleaseIntoStagingAsync(string debugName, bool force = false)
    {
        await _dev.DeployAsync(Flows(debugName));
        await _h.SettleAsync();
        var release = (await _h.EnvironmentAsync("development")).Current!.Name;
        await _h.Promotions.PromoteAsync("train", "staging", release, Alice, default, force);
        await _h.SettleAsync();
        return release;
    }

    [NodeRedFact]
    public async Task Promote_RecordsTheDeployedSnapshot_AndTheDriftLoopSeesAHandEditWithItsDiff()
    {
        var r1 = await ReleaseIntoStagingAsync("out");

        var deployed = (await _h.Snapshots.ListAsync("train", "staging", default)).ShouldHaveSingleItem();
        (deployed.Kind, deployed.Release, deployed.By, deployed.Forced).ShouldBe(("deployed", r1, "manual promotion by alice", false));
        deployed.Rev.ShouldBe((await _staging.GetFlowsAsync()).Rev);
        // The shape the put kept while deploying is the one of the flows staging runs (drift is judged by it).
        var stagingId = (await _h.Store.GetEnvironmentAsync(await _h.PipelineIdAsync(), "staging"))!.Id;
        var recorded = (await _h.Store.GetDeployedSnapshotAsync(stagingId)).ShouldNotBeNull();
        var live = (await _staging.GetFlowsAsync()).Flows;
        (recorded.Shape, recorded.Nodes).ShouldBe((DriftGuard.ShapeOf(live), live.Count));
        await _h.Drift.RunOnceAsync(default);
        (await _h.EnvironmentAsync("staging")).Drift.ShouldBeNull();

        // An environment value set by hand belongs to the instance: no drift.
        await _staging.DeployAsync(Flows("out", apiUrl: "http://staging"));
        await _h.Drift.RunOnceAsync(default);
        (await _h.EnvironmentAsync("staging")).Drift.ShouldBeNull();

        await _staging.DeployAsync(Flows("hand-edited", apiUrl: "http://staging",
            extra: """, {"id": "n3", "type": "comment", "z": "t1", "name": "note", "info": "", "wires": []}"""));
        await _h.Drift.RunOnceAsync(default);

        var drift = (await _h.EnvironmentAsync("staging")).Drift.ShouldNotBeNull();
        drift.Deployed.ShouldBe(r1);
        drift.DeployedSnapshot.ShouldBe(deployed.Snapshot);
        var group = drift.Diff.ShouldNotBeNull().Groups.ShouldHaveSingleItem();
        group.Label.ShouldBe("Orders");
        group.Added.ShouldHaveSingleItem().Id.ShouldBe("n3");
        var changed = group.Changed.ShouldHaveSingleItem();
        changed.Id.ShouldBe("n2");
        changed.Properties.ShouldBe(["name"]);
        drift.Changes.ShouldContain("debug 'hand-edited' changed (name)");
        var snapshots = await _h.Snapshots.ListAsync("train", "staging", default);
        snapshots.Select(s => (s.Kind, s.By)).ShouldBe([("drift", "seen by the drift check"), ("deployed", "manual promotion by alice")]);
        snapshots[0].Snapshot.ShouldBe(drift.LiveSnapshot);
    }

    [NodeRedFact]
    public async Task Promote_IsRefusedOntoADriftedInstance_UntilForced_WhichOverwritesTheEditAndIsAudited()
    {
        await ReleaseIntoStagingAsync("out");
        await _staging.DeployAsync(Flows("hand-edited"));
        await _dev.DeployAsync(Flows("v2"));
        await _h.SettleAsync();
        var r2 = (await _h.EnvironmentAsync("development")).Current!.Name;

        // The preview reads the instance now, without waiting for the drift loop.
        var preview = await _h.Promotions.PreviewAsync("train", "staging", r2, Alice, default);
        preview.Refusal.ShouldNotBeNull().Kind.ShouldBe("instance_drifted");
        preview.Drift.ShouldNotBeNull();
        var refused = await Should.ThrowAsync<PromotionRefusedException>(() => _h.Promotions.PromoteAsync("train", "staging", r2, Alice, default));
        refused.Refusal.Kind.ShouldBe(RefusalKind.InstanceDrifted);
        refused.Message.ShouldContain("staging");
        refused.Message.ShouldContain("changed by hand");
        refused.Message.ShouldContain("debug 'hand-edited' changed (name)");
        NameOf((await _staging.GetFlowsAsync()).Flows, "n2").ShouldBe("hand-edited");

        await _h.Promotions.PromoteAsync("train", "staging", r2, Alice, default, force: true);
        await _h.SettleAsync();

        var staging = await _h.EnvironmentAsync("staging");
        staging.Current!.Name.ShouldBe(r2);
        staging.Drift.ShouldBeNull();
        NameOf((await _staging.GetFlowsAsync()).Flows, "n2").ShouldBe("v2");
        var last = (await _h.Snapshots.ListAsync("train", "staging", default))[0];
        (last.Kind, last.Release, last.Forced).ShouldBe(("deployed", r2, true));
        (await _h.Promotions.AuditAsync("train", 50, default)).ShouldContain(a => a.Action == AuditActions.DriftOverwritten && a.Actor == "alice");
    }

    [NodeRedFact]
    public async Task Put_FailsWithoutDeploying_WhenTheInstanceIsEditedAfterThePromotionWasDecided()
    {
        await ReleaseIntoStagingAsync("out");
        await _dev.DeployAsync(Flows("v2"));
        await _h.SettleAsync();
        var r2 = (await _h.EnvironmentAsync("development")).Current!.Name;
        var promotion = await _h.Promotions.PromoteAsync("train", "staging", r2, Alice, default);

        await _staging.DeployAsync(Flows("late-edit"));
        await _h.SettleAsync();

        var ended = await _h.Promotions.GetPromotionAsync("train", promotion.Id, default);
        ended.Status.ShouldNotBe("succeeded");
        (await _h.LogAsync(ended.BuildId!.Value)).ShouldContain("was changed by hand since Ferry deployed there");
        NameOf((await _staging.GetFlowsAsync()).Flows, "n2").ShouldBe("late-edit");
    }

    [NodeRedFact]
    public async Task Snapshots_ListWhoMadeThem_DiffAnyTwo_AndRollBackPutsTheEarlierFlowsBackAndHolds()
    {
        var r1 = await ReleaseIntoStagingAsync("out");
        var r2 = await ReleaseIntoStagingAsync("v2");

        var source = await _h.Snapshots.ListAsync("train", "development", default);
        source.Select(s => (s.Kind, s.By)).ShouldBe([("check", "check of dev-flows"), ("check", "check of dev-flows")]);
        await _dev.DeployAsync(Flows("v3"));
        var taken = await _h.Snapshots.TakeAsync("train", "development", Alice, default);
        taken.Kind.ShouldBe("taken");
        (await _h.Snapshots.ListAsync("train", "development", default))[0].ShouldSatisfyAllConditions(
            s => s.Kind.ShouldBe("taken"), s => s.By.ShouldBe("alice"), s => s.Snapshot.ShouldBe(taken.Snapshot));

        var deployed = await _h.Snapshots.ListAsync("train", "staging", default);
        deployed.Select(s => s.Release).ShouldBe([r2, r1]);
        var diff = await _h.Snapshots.DiffAsync("train", "staging", deployed[1].Snapshot[..8], deployed[0].Snapshot, default);
        diff.Summary.ShouldBe("0 added, 0 removed, 1 changed");
        diff.Diff.Groups.ShouldHaveSingleItem().Changed.ShouldHaveSingleItem().Properties.ShouldBe(["name"]);
        (await _h.Snapshots.DiffAsync("train", "staging", deployed[0].Snapshot, "live", default)).Diff.IsEmpty.ShouldBeTrue();

        var rollback = await _h.Snapshots.RollbackAsync("train", "staging", deployed[1].Snapshot[..10], Alice, force: false, default);
        rollback.Trigger.ShouldBe("rollback");
        await _h.SettleAsync();

        NameOf((await _staging.GetFlowsAsync()).Flows, "n2").ShouldBe("out");
        var staging = await _h.EnvironmentAsync("staging");
        staging.Current!.Name.ShouldBe(r1);
        staging.Hold.ShouldNotBeNull().Reason.ShouldContain(r1);
        var newest = (await _h.Snapshots.ListAsync("train", "staging", default))[0];
        (newest.Kind, newest.Release, newest.By, newest.Snapshot).ShouldBe(("deployed", r1, "rollback by alice", deployed[1].Snapshot));
    }
}
