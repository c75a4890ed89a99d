using System.Globalization;
using System.Text.Json.Nodes;
using Ferry.Core.Flows;
using Ferry.Core.Promotion;
using Ferry.Engine.Checking;
using Ferry.Engine.Pipelines;
using Ferry.Engine.Promoting;
using Ferry.Engine.Resources;
using Ferry.Engine.Resources.NodeRed;
using Ferry.Storage;
using Ferry.Storage.Instances;
using Ferry.Storage.Versions;

namespace Ferry.Engine.Instances;

/// <summary>
/// An environment's instance snapshots, for the API, the CLI and the web UI: list them with who or what made them,
/// take one now, diff any two, roll the instance back to one (a rollback promotion: audited, and the environment held).
/// The source environment (bound to a node-red resource) lists its resource's versions; an environment Ferry deploys
/// into lists what Ferry deployed there and the drifted states it saw.
/// </summary>
public sealed class InstanceSnapshots(IStore store, PipelineConfigs configs, EnvironmentSync sync, InstanceDrifts drifts, CheckerLoop checker,
    Promotions promotions, EngineDirectories directories, TimeProvider clock)
{
    /// <summary>What a diff may name instead of a snapshot: the flows the instance runs now.</summary>
    public const string Live = "live";

    private const int Limit = 200;

    /// <summary>The pipeline's environments bound to a Node-RED instance (the source by its resource, or one Ferry deploys into), chain order.</summary>
    public async Task<IReadOnlyList<string>> InstanceEnvironmentsAsync(string pipeline, CancellationToken cancellationToken)
    {
        var p = await store.GetPipelineAsync(pipeline, cancellationToken) ?? throw new PromotionLookupException($"pipeline '{pipeline}' not found");
        var scope = await PipelineScope.LoadAsync(store, configs, sync, p, cancellationToken);
        return [.. scope.Records.Select(r => r.Name).Where(name => scope.Settings.GetValueOrDefault(name) is { } settings
            && (InstanceDrifts.InstanceSource(settings) is not null
                || (settings.Config.Instance is { IsInline: false, ResourceName: { } resource }
                    && scope.Config.FindResource(resource)?.Type == NodeRedResourceType.TypeName)))];
    }

    /// <summary>Newest first.</summary>
    public async Task<IReadOnlyList<SnapshotView>> ListAsync(string pipeline, string environment, CancellationToken cancellationToken)
    {
        var (scope, settings, record) = await EnvironmentAsync(pipeline, environment, cancellationToken);
        var own = await store.ListInstanceSnapshotsAsync(record.Id, Limit, cancellationToken);
        if (settings.Config.Instance is not { IsInline: false, ResourceName: { } name })
            return [.. own.Select(SnapshotView.Of)];
        // The source instance: its resource's versions, each by the check that found it or the person who asked for it.
        var resource = await store.GetResourceAsync(scope.Pipeline.Id, name, cancellationToken)
            ?? throw new PromotionLookupException($"resource '{name}' of environment '{environment}' not found in pipeline '{pipeline}'");
        var taken = own.Where(s => s.Kind == InstanceSnapshotKind.Taken).GroupBy(s => s.Hash).ToDictionary(g => g.Key, g => g.Last());
        var versions = await store.ListVersionsAsync(resource.Id, new VersionPageRequest(Limit), cancellationToken);
        return [.. versions.Versions.Where(v => v.Version.Version.ContainsKey("snapshot")).Select(v =>
        {
            var hash = v.Version.Version["snapshot"];
            var nodes = int.TryParse(v.Version.Metadata.FirstOrDefault(m => m.Name == "nodes")?.Value, CultureInfo.InvariantCulture, out var n) ? n : (int?)null;
            return taken.TryGetValue(hash, out var by)
                ? new SnapshotView("taken", hash, v.Version.Version.GetValueOrDefault("rev"), nodes, by.MadeBy, v.CreatedAt, null, null, false)
                : new SnapshotView("check", hash, v.Version.Version.GetValueOrDefault("rev"), nodes, $"check of {name}", v.CreatedAt, null, null, false);
        })];
    }

    /// <summary>
    /// A snapshot of the instance now, made by <paramref name="actor"/>: for the source instance a check of its
    /// resource (so the snapshot can become a release), else the flows it runs (kept in the snapshot cache).
    /// </summary>
    public async Task<SnapshotView> TakeAsync(string pipeline, string environment, Actor actor, CancellationToken cancellationToken)
    {
        var (scope, settings, record) = await EnvironmentAsync(pipeline, environment, cancellationToken);
        FlowSnapshot snapshot;
        string? rev;
        if (settings.Config.Instance is { IsInline: false, ResourceName: { } name })
        {
            var resource = await store.GetResourceAsync(scope.Pipeline.Id, name, cancellationToken)
                ?? throw new PromotionLookupException($"resource '{name}' of environment '{environment}' not found in pipeline '{pipeline}'");
            await checker.CheckAsync(resource, cancellationToken);
            var latest = await store.GetLatestVersionAsync(resource.Id, cancellationToken)
                ?? throw ResourceException.Terminal($"the check of {name} found no snapshot: {(await store.GetResourceAsync(scope.Pipeline.Id, name, cancellationToken))?.LastCheckError}");
            var flows = await InstanceDrifts.LoadAsync(Cache, latest.Version.Version.GetValueOrDefault("snapshot") ?? "", cancellationToken)
                ?? throw ResourceException.Terminal($"snapshot {latest.Version.Key} of {name} is not in the snapshot cache");
            snapshot = FlowSnapshot.Of(flows);
            rev = latest.Version.Version.GetValueOrDefault("rev");
        }
        else if (InstanceDrifts.InstanceSource(settings) is { } source)
        {
            var live = await new NodeRedAdmin(NodeRedSource.Parse(source)).GetFlowsAsync(cancellationToken);
            snapshot = FlowSnapshot.Of(live.Flows);
            rev = live.Rev;
            await Cache.SaveAsync(snapshot, cancellationToken);
        }
        else
        {
            throw new ArgumentException($"environment '{environment}' is bound to no Node-RED instance");
        }
        var saved = await store.AddInstanceSnapshotAsync(new NewInstanceSnapshot(record.Id, InstanceSnapshotKind.Taken, snapshot.Hash,
            DriftGuard.ShapeOf(snapshot.Flows), rev, snapshot.Flows.Count, actor.Name, clock.GetUtcNow()), cancellationToken);
        return SnapshotView.Of(saved);
    }

    /// <summary>What changed from snapshot <paramref name="from"/> to <paramref name="to"/> (a hash, its first digits, or <see cref="Live"/>).</summary>
    public async Task<SnapshotDiffView> DiffAsync(string pipeline, string environment, string from, string to, CancellationToken cancellationToken)
    {
        var (scope, settings, _) = await EnvironmentAsync(pipeline, environment, cancellationToken);
        var listed = await ListAsync(pipeline, environment, cancellationToken);
        var (fromHash, before) = await FlowsAsync(scope, settings, listed, from, "from", cancellationToken);
        var (toHash, after) = await FlowsAsync(scope, settings, listed, to, "to", cancellationToken);
        var diff = FlowDiff.Between(before, after);
        return new SnapshotDiffView(environment, fromHash, toHash, diff.Summary, diff);
    }

    /// <summary>The drift of the environment's instance as last recorded, with its diff; null when it has none.</summary>
    public async Task<DriftView?> DriftAsync(string pipeline, string environment, CancellationToken cancellationToken)
    {
        var (_, _, record) = await EnvironmentAsync(pipeline, environment, cancellationToken);
        return await store.GetDriftAsync(record.Id, cancellationToken) is { } drift ? await DriftView.OfAsync(drift, drifts, cancellationToken) : null;
    }

    /// <summary>
    /// Rolls the instance back to a snapshot Ferry deployed there: a rollback promotion of the release it came from,
    /// through the environment aggregate (audited; the environment is held there afterwards).
    /// </summary>
    public async Task<PromotionView> RollbackAsync(string pipeline, string environment, string snapshot, Actor actor, bool force, CancellationToken cancellationToken)
    {
        var listed = await ListAsync(pipeline, environment, cancellationToken);
        var match = Find(listed, snapshot, "snapshot");
        var deployed = listed.FirstOrDefault(s => s.Snapshot == match.Snapshot && s.Kind == "deployed" && s.Release is not null)
            ?? throw new ArgumentException(
                $"snapshot {match.Snapshot[..12]} of {environment} was not deployed there by a promotion ({match.Kind}, by {match.By}); " +
                "an instance is rolled back to a snapshot Ferry deployed there");
        return await promotions.RollbackAsync(pipeline, environment, deployed.Release!, actor, cancellationToken, force);
    }

    private SnapshotCache Cache => new(directories.ResourceCache);

    private async Task<(string Hash, JsonArray Flows)> FlowsAsync(PipelineScope scope, EnvironmentSettings settings, IReadOnlyList<SnapshotView> listed, string name, string field,
        CancellationToken cancellationToken)
    {
        if (name == Live)
        {
            var source = InstanceDrifts.InstanceSource(settings)
                ?? (settings.Config.Instance is { ResourceName: { } resource } ? scope.Config.FindResource(resource)?.Source : null)
                ?? throw new ArgumentException($"{field}: environment '{settings.Name}' is bound to no Node-RED instance to read");
            var live = await new NodeRedAdmin(NodeRedSource.Parse(source)).GetFlowsAsync(cancellationToken);
            return (FlowSnapshot.Of(live.Flows).Hash, live.Flows);
        }
        var snapshot = Find(listed, name, field);
        return (snapshot.Snapshot, await InstanceDrifts.LoadAsync(Cache, snapshot.Snapshot, cancellationToken)
            ?? throw new ArgumentException($"{field}: snapshot {snapshot.Snapshot[..12]} is no longer in the snapshot cache ({Cache.PathOf(snapshot.Snapshot)})"));
    }

    private static SnapshotView Find(IReadOnlyList<SnapshotView> listed, string name, string field)
    {
        var text = name.Trim().ToLowerInvariant();
        if (text.Length < 6)
            throw new ArgumentException($"{field}: '{name}' is not a snapshot: give its hash or at least its first 6 digits");
        var matches = listed.Where(s => s.Snapshot.StartsWith(text, StringComparison.Ordinal)).Select(s => s.Snapshot).Distinct().ToList();
        return matches.Count switch
        {
            1 => listed.First(s => s.Snapshot == matches[0]),
            0 => throw new PromotionLookupException($"{field}: no snapshot {name} in this environment's snapshots"),
            _ => throw new ArgumentException($"{field}: '{name}' names {matches.Count} snapshots; give more digits"),
        };
    }

    private async Task<(PipelineScope Scope, EnvironmentSettings Settings, EnvironmentRecord Record)> EnvironmentAsync(string pipeline, string environment,
        CancellationToken cancellationToken)
    {
        var p = await store.GetPipelineAsync(pipeline, cancellationToken) ?? throw new PromotionLookupException($"pipeline '{pipeline}' not found");
        var scope = await PipelineScope.LoadAsync(store, configs, sync, p, cancellationToken);
        var (settings, record) = scope.Environment(environment);
        return (scope, settings, record);
    }
}
