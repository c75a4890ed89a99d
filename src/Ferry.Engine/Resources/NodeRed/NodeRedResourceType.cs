using System.Text.Json;
using System.Text.Json.Nodes;
using Ferry.Core.Versions;

namespace Ferry.Engine.Resources.NodeRed;

/// <summary>
/// The built-in <c>node-red</c> type: versions are snapshots of an instance's flows (<c>{rev, snapshot}</c>), get
/// writes <c>flows.json</c>, <c>env-keys.json</c> and (when known) <c>nodes.json</c>, the node sets the instance had,
/// put deploys flows into the instance keeping its own environment values and credentials (<see cref="NodeRedPut"/>).
/// </summary>
internal sealed class NodeRedResourceType : IResourceType
{
    public const string TypeName = "node-red";

    public string Name => TypeName;

    public async Task<IReadOnlyList<ResourceVersion>> CheckAsync(ResourceCall call, JsonObject source, ResourceVersion? from, CancellationToken cancellation)
    {
        var admin = new NodeRedAdmin(NodeRedSource.Parse(source));
        var deployed = await admin.GetFlowsAsync(cancellation);
        var snapshot = FlowSnapshot.Of(deployed.Flows);
        var cache = new SnapshotCache(call.WorkRoot);
        await cache.SaveAsync(snapshot, cancellation);
        // The modules behind the flows' node types, for naming what a target lacks later; once per snapshot.
        if (!cache.HasNodes(snapshot.Hash))
            await cache.SaveNodesAsync(snapshot.Hash, await admin.GetNodesAsync(cancellation), cancellation);
        // Node-RED keeps no history: the current flows are the only version there is besides from.
        return from is not null && from.Version.GetValueOrDefault("snapshot") == snapshot.Hash
            ? [from]
            : [snapshot.Version(deployed.Rev)];
    }

    public async Task<ResourceVersion> GetAsync(ResourceCall call, JsonObject source, ResourceVersion version, JsonObject @params, string directory,
        CancellationToken cancellation)
    {
        var parsed = NodeRedSource.Parse(source);
        var hash = SnapshotHash(version);
        var cache = new SnapshotCache(call.WorkRoot);
        var snapshot = await LoadAsync(cache, hash, cancellation);
        var admin = new NodeRedAdmin(parsed);
        if (snapshot is null)
        {
            var deployed = await admin.GetFlowsAsync(cancellation);
            var live = FlowSnapshot.Of(deployed.Flows);
            if (live.Hash != hash)
                throw ResourceException.Terminal($"node-red get: snapshot {hash} (rev {version.Version.GetValueOrDefault("rev")}) is not in {cache.PathOf(hash)} " +
                                                 $"and {parsed.Url} now runs snapshot {live.Hash}; Node-RED keeps only its current flows");
            await cache.SaveAsync(live, cancellation);
            if (!cache.HasNodes(hash))
                await cache.SaveNodesAsync(hash, await admin.GetNodesAsync(cancellation), cancellation);
            snapshot = live;
        }

        // The snapshot's canonical text as it is: a thousand nodes are not serialized again (with indentation) to be
        // parsed again by the put a moment later. The node sets are copied as the cache keeps them, for the same reason.
        await File.WriteAllTextAsync(Path.Combine(directory, "flows.json"), snapshot.Canonical, cancellation);
        await File.WriteAllTextAsync(Path.Combine(directory, "env-keys.json"), new JsonArray([.. snapshot.EnvKeys.Select(k => (JsonNode)k)]).ToJsonString(Indented), cancellation);
        if (cache.HasNodes(hash))
            File.Copy(cache.NodesPathOf(hash), Path.Combine(directory, NodeRedPut.NodesFile), overwrite: true);
        return snapshot.Version(version.Version.GetValueOrDefault("rev") ?? "");
    }

    public Task<ResourceVersion> PutAsync(ResourceCall call, JsonObject source, JsonObject @params, string artifactsRoot, CancellationToken cancellation) =>
        NodeRedPut.PutAsync(call, NodeRedSource.Parse(source), @params, artifactsRoot, cancellation);

    internal static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private static string SnapshotHash(ResourceVersion version) =>
        version.Version.GetValueOrDefault("snapshot") is { Length: 64 } hash && hash.All(Uri.IsHexDigit)
            ? hash
            : throw ResourceException.Terminal($"node-red get: version {version.Key} has no snapshot (a 64-digit SHA-256) to fetch");

    private static async Task<FlowSnapshot?> LoadAsync(SnapshotCache cache, string hash, CancellationToken cancellation) =>
        await cache.TryLoadAsync(hash, cancellation) is { } text ? FlowSnapshot.FromCanonical(text, hash) : null;
}
