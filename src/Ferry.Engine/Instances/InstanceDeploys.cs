using System.Text.Json.Nodes;
using Ferry.Core.Plans;
using Ferry.Core.Promotion;
using Ferry.Engine.Resources.NodeRed;
using Ferry.Engine.Running;
using Ferry.Storage;
using Ferry.Storage.Instances;

namespace Ferry.Engine.Instances;

/// <summary>
/// Records what a promotion's instance deploy put into the instance: the environment's deployed snapshot (the flows
/// actually posted, by hash, kept in the snapshot cache), with its rev, promotion, release, time and who asked. Drift
/// is judged against it, and the next deploy expects the instance to still run it.
/// </summary>
internal sealed class InstanceDeploys(IStore store, string resourceCache, TimeProvider clock)
{
    public async Task RecordAsync(BuildRecord build, PlanNode plan, IEnumerable<StepVersion> puts, CancellationToken cancellationToken)
    {
        if (plan.Descendants().OfType<PromotionPlan>().FirstOrDefault() is not { } promotionPlan)
            return;
        var put = puts.LastOrDefault(p => p.Resource == $"instance({promotionPlan.Environment})");
        if (put is null || put.Version.Version.GetValueOrDefault("snapshot") is not { } hash
            || await new SnapshotCache(resourceCache).TryLoadAsync(hash, cancellationToken) is not { } text || JsonNode.Parse(text) is not JsonArray flows)
            return;
        var promotion = await store.GetPromotionAsync(promotionPlan.PromotionId, cancellationToken);
        if (promotion is null)
            return;
        var by = promotion.Trigger == PromotionTrigger.Rollback ? $"rollback by {promotion.RequestedBy}" : $"{promotion.Trigger.ToText()} promotion by {promotion.RequestedBy}";
        await store.AddInstanceSnapshotAsync(new NewInstanceSnapshot(promotion.EnvironmentId, InstanceSnapshotKind.Deployed, hash, DriftGuard.ShapeOf(flows),
            put.Version.Version.GetValueOrDefault("rev"), flows.Count, by, clock.GetUtcNow(), promotion.Id, promotion.ReleaseNumber, promotion.Forced), cancellationToken);
    }
}
