using Ferry.Core.Promotion;
using Ferry.Storage.Instances;

namespace Ferry.Storage.Tests.Contract;

public abstract partial class StoreContract<TTarget>
{
    private static NewInstanceSnapshot Snapshot(int environmentId, InstanceSnapshotKind kind, string hash, string by = "alice", long? promotion = null,
        int? release = null, bool forced = false, int minutes = 0) =>
        new(environmentId, kind, hash, "shape-" + hash, "rev-" + hash, 3, by, At.AddMinutes(minutes), promotion, release, forced);

    [StoreFact]
    public async Task AddInstanceSnapshot_ListsNewestFirst_AndGivesTheLastDeployed_WhenSeveralKinds()
    {
        var setup = await NewChainAsync();
        var staging = setup.Environments["staging"].Id;
        var release = await ReleaseAsync(setup.Pipeline, "a1");
        var promotion = await RequestAsync(setup, "development", release.Release.Number);

        (await Store.GetDeployedSnapshotAsync(staging)).ShouldBeNull();
        var first = await Store.AddInstanceSnapshotAsync(Snapshot(staging, InstanceSnapshotKind.Deployed, "h1", "manual promotion by alice", promotion.Id,
            release.Release.Number, forced: true));
        await Store.AddInstanceSnapshotAsync(Snapshot(staging, InstanceSnapshotKind.Taken, "h2", "bob", minutes: 1));
        await Store.AddInstanceSnapshotAsync(Snapshot(setup.Environments["production"].Id, InstanceSnapshotKind.Deployed, "other"));

        var listed = await Store.ListInstanceSnapshotsAsync(staging);
        listed.Select(s => (s.Kind, s.Hash, s.MadeBy)).ShouldBe([(InstanceSnapshotKind.Taken, "h2", "bob"), (InstanceSnapshotKind.Deployed, "h1", "manual promotion by alice")]);
        var deployed = (await Store.GetDeployedSnapshotAsync(staging)).ShouldNotBeNull();
        deployed.ShouldBe(first);
        (deployed.Shape, deployed.Rev, deployed.Nodes, deployed.PromotionId, deployed.ReleaseNumber, deployed.Forced, deployed.MadeAt)
            .ShouldBe(("shape-h1", "rev-h1", 3, promotion.Id, release.Release.Number, true, At));
        (await Store.GetInstanceSnapshotAsync(first.Id)).ShouldBe(first);
        (await Store.GetInstanceSnapshotAsync(long.MaxValue)).ShouldBeNull();
    }

    [StoreFact]
    public async Task RecordDrift_KeepsWhenItBegan_RecordsEachLiveStateOnce_AndADeployEndsIt()
    {
        var setup = await NewChainAsync();
        var staging = setup.Environments["staging"].Id;
        var deployed = await Store.AddInstanceSnapshotAsync(Snapshot(staging, InstanceSnapshotKind.Deployed, "d1"));
        (await Store.GetDriftAsync(staging)).ShouldBeNull();

        var drift = await Store.RecordDriftAsync(staging, deployed.Id, Snapshot(staging, InstanceSnapshotKind.Drift, "live1", "drift check", minutes: 5));
        var again = await Store.RecordDriftAsync(staging, deployed.Id, Snapshot(staging, InstanceSnapshotKind.Drift, "live1", "drift check", minutes: 6));
        var moved = await Store.RecordDriftAsync(staging, deployed.Id, Snapshot(staging, InstanceSnapshotKind.Drift, "live2", "drift check", minutes: 7));

        (drift.Environment, drift.Deployed.Hash, drift.Live.Hash, drift.Since).ShouldBe(("staging", "d1", "live1", At.AddMinutes(5)));
        again.ShouldBe(drift);
        (moved.Live.Hash, moved.Since).ShouldBe(("live2", At.AddMinutes(5)));
        (await Store.ListInstanceSnapshotsAsync(staging)).Select(s => (s.Kind, s.Hash))
            .ShouldBe([(InstanceSnapshotKind.Drift, "live2"), (InstanceSnapshotKind.Drift, "live1"), (InstanceSnapshotKind.Deployed, "d1")]);
        (await Store.ListDriftAsync(setup.Pipeline.Id)).ShouldHaveSingleItem().Live.Hash.ShouldBe("live2");

        await Store.AddInstanceSnapshotAsync(Snapshot(staging, InstanceSnapshotKind.Deployed, "d2", minutes: 8));
        (await Store.GetDriftAsync(staging)).ShouldBeNull();
        (await Store.ListDriftAsync(setup.Pipeline.Id)).ShouldBeEmpty();

        var production = setup.Environments["production"].Id;
        var other = await Store.AddInstanceSnapshotAsync(Snapshot(production, InstanceSnapshotKind.Deployed, "p1"));
        await Store.RecordDriftAsync(production, other.Id, Snapshot(production, InstanceSnapshotKind.Drift, "p-live"));
        (await Store.ClearDriftAsync(production)).ShouldBeTrue();
        (await Store.ClearDriftAsync(production)).ShouldBeFalse();
        (await Store.GetDriftAsync(production)).ShouldBeNull();
    }

    [StoreFact]
    public async Task ChangeEnvironment_KeepsThatAPromotionWasForced_WhenAPersonForcesItOverDrift()
    {
        var drift = new InstanceDrift("r0", "tab Orders: debug 'out' changed (name)");
        var other = await NewChainAsync();
        var second = await ReleaseAsync(other.Pipeline, "f2");
        var refused = await Should.ThrowAsync<PromotionRefusedException>(() => Store.ChangeEnvironmentAsync(Load(other, "development", release: second.Release.Number),
            e => e.Promote(second.Release.Number, PromotionTrigger.Manual, Actor.Owner("olga"), At, null, drift)));
        refused.Refusal.Kind.ShouldBe(RefusalKind.InstanceDrifted);
        refused.Message.ShouldContain("debug 'out' changed (name)");
        var promotion = await Store.ChangeEnvironmentAsync(Load(other, "development", release: second.Release.Number),
            e => e.Promote(second.Release.Number, PromotionTrigger.Manual, Actor.Owner("olga"), At, null, drift, force: true));

        (await Store.GetPromotionAsync(promotion.Id))!.Forced.ShouldBeTrue();
        (await Store.ListAuditAsync(other.Pipeline.Id)).ShouldContain(a => a.Action == Core.Audit.AuditActions.DriftOverwritten && a.PromotionId == promotion.Id);
        var third = await ReleaseAsync(other.Pipeline, "f3");
        var plain = await RequestAsync(other, "development", third.Release.Number, PromotionTrigger.Manual);
        (await Store.GetPromotionAsync(plain.Id))!.Forced.ShouldBeFalse();
    }
}
