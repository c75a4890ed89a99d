using Ferry.Core.Flows;
using Ferry.Core.Promotion;
using Ferry.Storage.Instances;

namespace Ferry.Engine.Instances;

/// <summary>
/// A snapshot of an environment's instance: <paramref name="Kind"/> <c>deployed</c> (a promotion or rollback put it
/// there), <c>drift</c> (seen there instead of what was deployed), <c>taken</c> (a person asked for it) or
/// <c>check</c> (the source instance's resource found it).
/// </summary>
/// <param name="Snapshot">The flows' content hash; a diff or a rollback names a snapshot by it (or by its first digits).</param>
public sealed record SnapshotView(string Kind, string Snapshot, string? Rev, int? Nodes, string By, DateTimeOffset At, string? Release, long? Promotion,
    bool Forced)
{
    public static SnapshotView Of(InstanceSnapshotRecord s) => new(s.Kind.ToText(), s.Hash, s.Rev, s.Nodes, s.MadeBy, s.MadeAt,
        s.ReleaseNumber is { } n ? ReleaseName.Of(n) : null, s.PromotionId, s.Forced);
}

/// <summary>What changed from one snapshot to another, by tab and node.</summary>
public sealed record SnapshotDiffView(string Environment, string From, string To, string Summary, FlowDiff Diff);

/// <summary>
/// An instance that runs other flows than Ferry deployed there: what was deployed, what runs now, since when, and the
/// diff between them (environment values left out: they are the instance's own).
/// </summary>
/// <param name="Diff">Null when the deployed snapshot is no longer in the snapshot cache.</param>
public sealed record DriftView(string Deployed, string DeployedSnapshot, string LiveSnapshot, string? LiveRev, DateTimeOffset Since, string Changes,
    FlowDiff? Diff)
{
    public static async Task<DriftView> OfAsync(InstanceDriftRecord drift, InstanceDrifts drifts, CancellationToken cancellationToken)
    {
        var diff = await drifts.DiffAsync(drift.Deployed.Hash, drift.Live.Hash, cancellationToken);
        return new DriftView(drift.Deployed.ReleaseNumber is { } n ? ReleaseName.Of(n) : drift.Deployed.Hash[..12], drift.Deployed.Hash, drift.Live.Hash,
            drift.Live.Rev, drift.Since, diff is null ? "its flows differ" : FlowShape.Describe(diff), diff);
    }
}
