using System.Text.Json;
using System.Text.Json.Nodes;
using Ferry.Core.Pipelines;
using Ferry.Core.Versions;

namespace Ferry.Engine.Resources.NodeRed;

/// <summary>
/// Put: deploys a <c>flows.json</c> from the build's artifacts into the instance, environment values chosen by
/// <c>env_keys</c> (<see cref="FlowEnv.Carry"/>). Instance settings never travel: they live in settings.js, not in
/// flows. Credentials never travel either: any <c>credentials</c> in the flows are dropped, and Node-RED keeps the
/// target's own for every node id it has. Flows using node types the target lacks are refused before anything is
/// deployed, naming the modules (from <c>nodes.json</c> beside the flows, the source's node sets). A deploy racing
/// another one (409, stale rev) is re-read and tried once more.
/// </summary>
internal static class NodeRedPut
{
    /// <summary>The source instance's node sets, written by get beside <c>flows.json</c>.</summary>
    public const string NodesFile = "nodes.json";

    public static readonly ConfigSchema Schema = new(
    [
        new ConfigField("flows", FieldKind.String, Required: true),
        new ConfigField("env_keys", FieldKind.String),
        new ConfigField("expect_shape", FieldKind.String),
        new ConfigField("expect_snapshot", FieldKind.String),
        new ConfigField("expect_rev", FieldKind.String),
        new ConfigField("force", FieldKind.Boolean),
    ]);

    public static async Task<ResourceVersion> PutAsync(ResourceCall call, NodeRedSource source, JsonObject @params, string artifactsRoot, CancellationToken cancellation)
    {
        Schema.Enforce(@params, "params");
        var read = new ConfigReader(@params, "params");
        var mode = Mode(read.String("env_keys"));
        var flowsFile = read.RequiredString("flows");
        var guard = DriftGuard.Read(read);
        var admin = new NodeRedAdmin(source);
        // The instance's node sets and its flows are asked at once, and flows.json is read while the instance answers:
        // a push costs little more than its POST /flows.
        var nodesRead = admin.GetNodesAsync(cancellation);
        var firstFlows = admin.GetFlowsAsync(cancellation);
        JsonArray flows;
        IReadOnlyList<NodeSet>? sourceNodes;
        try
        {
            (flows, sourceNodes) = await ReadFlowsAsync(artifactsRoot, flowsFile, cancellation);
            WithoutCredentials(flows);
        }
        catch
        {
            // The flows file's error is the answer, at once; the instance's answers are observed, not awaited.
            Observe(nodesRead);
            Observe(firstFlows);
            throw;
        }
        // Both awaited together: the node sets' error comes first, and a failed flows read is never left unobserved.
        await Task.WhenAll(nodesRead, firstFlows);
        var targetNodes = await nodesRead;
        if (NodeModules.Missing(flows, sourceNodes, NodeModules.Parse(targetNodes)) is { Count: > 0 } missing)
            throw ResourceException.Terminal($"node-red put: {source.Root} lacks node modules the flows use: {string.Join("; ", missing)}. " +
                                             "Install them there (palette manager, or npm install in its userDir) and restart it; nothing was deployed");
        var cache = new SnapshotCache(call.WorkRoot);
        for (var attempt = 1; ; attempt++)
        {
            var target = attempt == 1 ? await firstFlows : await admin.GetFlowsAsync(cancellation);
            await guard.CheckAsync(source, target, cache, cancellation);
            // Carried in place: the flows are this put's own parse. A second attempt parses them again, since the first
            // replaced the source's env values (merge gives a key the target lacks the source's value, not the first target's).
            if (attempt > 1)
            {
                flows = (await ReadFlowsAsync(artifactsRoot, flowsFile, cancellation)).Flows;
                WithoutCredentials(flows);
            }
            var deploying = FlowSnapshot.Of(FlowEnv.CarryInPlace(flows, target.Flows, mode));
            var posting = admin.PostFlowsAsync(deploying, target.Rev, cancellation);
            // While Node-RED deploys, what the deploy leaves behind is kept: the snapshot, the node sets beside it, and
            // its shape, which the runner records as the deployed snapshot's. Content-addressed: a failed deploy's stay unused.
            var keeping = Task.Run(() => KeepAsync(cache, deploying, targetNodes, cancellation), cancellation);
            await Task.WhenAll(posting, keeping);
            if (await posting is { } rev)
            {
                await call.Log.WriteLineAsync($"node-red: deployed {deploying.Nodes.Count()} nodes to {source.Url} (rev {rev}, env_keys {read.String("env_keys") ?? "keys-only"})");
                return deploying.Version(rev);
            }
            if (attempt == 2)
                throw ResourceException.Retryable($"node-red put: {source.FlowsUrl} answered 409 twice: its flows changed while deploying (rev {target.Rev} went stale)");
            await call.Log.WriteLineAsync($"node-red: {source.Url} changed its flows meanwhile (rev {target.Rev} is stale); reading them again");
        }
    }

    private static async Task KeepAsync(SnapshotCache cache, FlowSnapshot deploying, JsonArray targetNodes, CancellationToken cancellation)
    {
        await cache.SaveAsync(deploying, cancellation);
        await cache.SaveNodesAsync(deploying.Hash, targetNodes, cancellation);
        await cache.SaveShapeAsync(deploying.Hash, DriftGuard.ShapeOf(deploying.Flows), cancellation);
    }

    private static void Observe(Task task)
    {
        _ = task.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    private static EnvKeysMode Mode(string? text) => text switch
    {
        null or "keys-only" => EnvKeysMode.KeysOnly,
        "merge" => EnvKeysMode.Merge,
        "none" => EnvKeysMode.None,
        _ => throw new ResourceConfigException($"params.env_keys: '{text}' is not one of keys-only, merge, none"),
    };

    /// <summary>Credentials belong to the instance they were entered on; a flows file may carry some (an export with them).</summary>
    private static void WithoutCredentials(JsonArray flows)
    {
        foreach (var node in flows.OfType<JsonObject>())
            node.Remove("credentials");
    }

    private static async Task<(JsonArray Flows, IReadOnlyList<NodeSet>? Nodes)> ReadFlowsAsync(string artifactsRoot, string relative, CancellationToken cancellation)
    {
        var path = Path.GetFullPath(Path.Combine(artifactsRoot, relative));
        if (!File.Exists(path))
            throw new ResourceConfigException($"params.flows: '{relative}' not found under the build's artifacts ({path})");
        try
        {
            var flows = JsonNode.Parse(await File.ReadAllTextAsync(path, cancellation)) as JsonArray
                        ?? throw new ResourceConfigException($"params.flows: '{relative}' is not a JSON array of flow nodes");
            var nodesPath = Path.Combine(Path.GetDirectoryName(path)!, NodesFile);
            var nodes = File.Exists(nodesPath) && JsonNode.Parse(await File.ReadAllTextAsync(nodesPath, cancellation)) is JsonArray sets
                ? NodeModules.Parse(sets)
                : null;
            return (flows, nodes);
        }
        catch (JsonException e)
        {
            throw new ResourceConfigException($"params.flows: '{relative}' is not valid JSON: {e.Message}");
        }
    }
}
