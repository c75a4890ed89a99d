using System.Text.Json.Nodes;
using Ferry.Core.Flows;
using Ferry.Core.Planning;
using Ferry.Core.Promotion;
using Ferry.Engine.Pipelines;
using Ferry.Engine.Promoting;
using Ferry.Engine.Resources;
using Ferry.Engine.Resources.NodeRed;
using Ferry.Storage;
using Ferry.Storage.Instances;

namespace Ferry.Engine.Instances;

/// <summary>
/// Whether an environment's Node-RED instance still runs the snapshot Ferry deployed there last: reads its flows,
/// compares their rev, and when it differs their shape (<see cref="DriftGuard.Unchanged"/>: environment values are the
/// instance's own) and records the drift, or its end, in the store. The drift loop asks at an interval, a preview or a
/// promotion on demand.
/// </summary>
public sealed class InstanceDrifts(IStore store, EngineDirectories directories, TimeProvider? clock = null)
{
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The instance an environment deploys into, when it is a Node-RED instance Ferry deploys into itself; null otherwise.</summary>
    public static JsonObject? InstanceSource(EnvironmentSettings settings) =>
        settings.Config is { Deploy.Count: 0, Instance: { IsInline: true, Type: NodeRedResourceType.TypeName, Source: { } source } } ? source : null;

    /// <summary>
    /// Reads the instance now and records what it finds; null when it matches its deployed snapshot (or nothing was
    /// deployed there yet). An instance that cannot be read leaves the recorded drift as it was.
    /// </summary>
    /// <exception cref="ResourceException">The instance could not be read (stopped, refused, not Node-RED).</exception>
    public Task<InstanceDriftRecord?> CheckAsync(int environmentId, JsonObject source, CancellationToken cancellationToken) =>
        CheckAsync(environmentId, source, null, cancellationToken);

    /// <param name="read">The instance's flows as the caller just read them (a preview's), or null to read them here.</param>
    internal async Task<InstanceDriftRecord?> CheckAsync(int environmentId, JsonObject source, DeployedFlows? read, CancellationToken cancellationToken)
    {
        var deployed = await store.GetDeployedSnapshotAsync(environmentId, cancellationToken);
        if (deployed is null)
            return null;
        var live = read ?? await ReadAsync(source, cancellationToken);
        if (DriftGuard.Unchanged(live, deployed.Shape, deployed.Rev))
        {
            await store.ClearDriftAsync(environmentId, cancellationToken);
            return null;
        }
        var shape = DriftGuard.ShapeOf(live.Flows);
        var snapshot = FlowSnapshot.Of(live.Flows);
        await new SnapshotCache(directories.ResourceCache).SaveAsync(snapshot, cancellationToken);
        return await store.RecordDriftAsync(environmentId, deployed.Id, new NewInstanceSnapshot(environmentId, InstanceSnapshotKind.Drift, snapshot.Hash, shape,
            live.Rev, live.Flows.Count, "seen by the drift check", (clock ?? TimeProvider.System).GetUtcNow()), cancellationToken);
    }

    private static async Task<DeployedFlows> ReadAsync(JsonObject source, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ReadTimeout);
        try
        {
            return await new NodeRedAdmin(NodeRedSource.Parse(source)).GetFlowsAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw ResourceException.Retryable($"node-red: reading the instance's flows took longer than {ReadTimeout.TotalSeconds:0} s");
        }
    }

    /// <summary>
    /// The drift a promotion decision needs: read now when the environment has an instance (a preview or a push asks),
    /// else as last recorded; an unreachable instance gives what was recorded last.
    /// </summary>
    public Task<(InstanceDriftRecord? Record, InstanceDrift? Drift)> CurrentAsync(EnvironmentSettings settings, EnvironmentRecord record,
        CancellationToken cancellationToken) =>
        CurrentAsync(settings, record, null, cancellationToken);

    /// <param name="read">The instance's flows as the caller just read them (a preview's), or null to read them here.</param>
    internal async Task<(InstanceDriftRecord? Record, InstanceDrift? Drift)> CurrentAsync(EnvironmentSettings settings, EnvironmentRecord record,
        DeployedFlows? read, CancellationToken cancellationToken)
    {
        if (InstanceSource(settings) is not { } source)
            return (null, null);
        InstanceDriftRecord? drift;
        try
        {
            drift = await CheckAsync(record.Id, source, read, cancellationToken);
        }
        catch (Exception e) when (e is ResourceException or ResourceConfigException)
        {
            drift = await store.GetDriftAsync(record.Id, cancellationToken);
        }
        return (drift, drift is null ? null : await ForDecisionAsync(drift, cancellationToken));
    }

    /// <summary>What the environment aggregate is told of a drift: what was deployed, and what changed in short.</summary>
    public async Task<InstanceDrift> ForDecisionAsync(InstanceDriftRecord drift, CancellationToken cancellationToken) =>
        new(drift.Deployed.ReleaseNumber is { } n ? ReleaseName.Of(n) : $"snapshot {drift.Deployed.Hash[..12]}",
            await DiffAsync(drift.Deployed.Hash, drift.Live.Hash, cancellationToken) is { } diff ? FlowShape.Describe(diff) : "its flows differ");

    /// <summary>The drift's diff, deployed to live, environment values left out (they are the instance's own).</summary>
    public async Task<FlowDiff?> DiffAsync(string deployedHash, string liveHash, CancellationToken cancellationToken)
    {
        var cache = new SnapshotCache(directories.ResourceCache);
        var before = await LoadAsync(cache, deployedHash, cancellationToken);
        var after = await LoadAsync(cache, liveHash, cancellationToken);
        return before is null || after is null ? null : FlowDiff.Between(FlowShape.Of(before), FlowShape.Of(after));
    }

    /// <summary>What a deploy into the environment expects its instance to run; null before its first deploy.</summary>
    public async Task<InstanceExpectation?> ExpectationAsync(int environmentId, bool force, CancellationToken cancellationToken) =>
        await store.GetDeployedSnapshotAsync(environmentId, cancellationToken) is { } deployed
            ? new InstanceExpectation(deployed.Hash, deployed.Shape, force, deployed.Rev)
            : null;

    internal static async Task<JsonArray?> LoadAsync(SnapshotCache cache, string hash, CancellationToken cancellationToken) =>
        await cache.TryLoadAsync(hash, cancellationToken) is { } text && JsonNode.Parse(text) is JsonArray flows ? flows : null;
}
