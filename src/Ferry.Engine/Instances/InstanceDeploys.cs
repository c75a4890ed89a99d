using System.Globalization;
using System.Text.Json.Nodes;
using Ferry.Core.Plans;
using Ferry.Core.Promotion;
using Ferry.Core.Versions;
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
        if (put is null || put.Version.Version.GetValueOrDefault("snapshot") is not { } hash)
            return;
        var cache = new SnapshotCache(resourceCache);
        // The put kept the shape and reported the node count: a thousand nodes need no reading and hashing again here.
        var (shape, nodes) = await cache.TryLoadShapeAsync(hash, cancellationToken) is { } kept && NodeCount(put.Version) is { } count
            ? (kept, count)
            : await cache.TryLoadAsync(hash, cancellationToken) is { } text && JsonNode.Parse(text) is JsonArray flows
                ? (DriftGuard.ShapeOf(flows), flows.Count)
                : (null, 0);
        if (shape is null)
            return;
        var promotion = await store.GetPromotionAsync(promotionPlan.PromotionId, cancellationToken);
        if (promotion is null)
            return;
        var by = promotion.Trigger == PromotionTrigger.Rollback ? $"rollback by {promotion.RequestedBy}" : $"{promotion.Trigger.ToText()} promotion by {promotion.RequestedBy}";
        await store.AddInstanceSnapshotAsync(new NewInstanceSnapshot(promotion.EnvironmentId, InstanceSnapshotKind.Deployed, hash, shape,
            put.Version.Version.GetValueOrDefault("rev"), nodes, by, clock.GetUtcNow(), promotion.Id, promotion.ReleaseNumber, promotion.Forced), cancellationToken);
    }

    private static int? NodeCount(ResourceVersion version) =>
        version.Metadata.FirstOrDefault(m => m.Name == "nodes") is { } field
        && int.TryParse(field.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var count) ? count : null;
}
