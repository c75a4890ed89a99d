using System.Text.Json;
using System.Text.Json.Nodes;
using Ferry.Core.Pipelines;
using Ferry.Core.Versions;

namespace Ferry.Engine.Resources.NodeRed;

/// <summary>
/// Put: deploys a <c>flows.json</c> from the build's artifacts into the instance, environment values chosen by
/// <c>env_keys</c> (<see cref="FlowEnv.Carry"/>). Instance settings never travel: they live in settings.js, not in
/// flows. A deploy racing another one (409, stale rev) is re-read and tried once more.
/// </summary>
internal static class NodeRedPut
{
    public static readonly ConfigSchema Schema = new(
    [
        new ConfigField("flows", FieldKind.String, Required: true),
        new ConfigField("env_keys", FieldKind.String),
    ]);

    public static async Task<ResourceVersion> PutAsync(ResourceCall call, NodeRedSource source, JsonObject @params, string artifactsRoot, CancellationToken cancellation)
    {
        Schema.Enforce(@params, "params");
        var read = new ConfigReader(@params, "params");
        var mode = Mode(read.String("env_keys"));
        var flows = await ReadFlowsAsync(artifactsRoot, read.RequiredString("flows"), cancellation);
        var admin = new NodeRedAdmin(source);
        for (var attempt = 1; ; attempt++)
        {
            var target = await admin.GetFlowsAsync(cancellation);
            var deploying = FlowSnapshot.Of(FlowEnv.Carry(flows, target.Flows, mode));
            var rev = await admin.PostFlowsAsync(deploying, target.Rev, cancellation);
            if (rev is not null)
            {
                await new SnapshotCache(call.WorkRoot).SaveAsync(deploying, cancellation);
                await call.Log.WriteLineAsync($"node-red: deployed {deploying.Nodes.Count()} nodes to {source.Url} (rev {rev}, env_keys {read.String("env_keys") ?? "keys-only"})");
                return deploying.Version(rev);
            }
            if (attempt == 2)
                throw ResourceException.Retryable($"node-red put: {source.FlowsUrl} answered 409 twice: its flows changed while deploying (rev {target.Rev} went stale)");
            await call.Log.WriteLineAsync($"node-red: {source.Url} changed its flows meanwhile (rev {target.Rev} is stale); reading them again");
        }
    }

    private static EnvKeysMode Mode(string? text) => text switch
    {
        null or "keys-only" => EnvKeysMode.KeysOnly,
        "merge" => EnvKeysMode.Merge,
        "none" => EnvKeysMode.None,
        _ => throw new ResourceConfigException($"params.env_keys: '{text}' is not one of keys-only, merge, none"),
    };

    private static async Task<JsonArray> ReadFlowsAsync(string artifactsRoot, string relative, CancellationToken cancellation)
    {
        var path = Path.GetFullPath(Path.Combine(artifactsRoot, relative));
        if (!File.Exists(path))
            throw new ResourceConfigException($"params.flows: '{relative}' not found under the build's artifacts ({path})");
        try
        {
            return JsonNode.Parse(await File.ReadAllTextAsync(path, cancellation)) as JsonArray
                   ?? throw new ResourceConfigException($"params.flows: '{relative}' is not a JSON array of flow nodes");
        }
        catch (JsonException e)
        {
            throw new ResourceConfigException($"params.flows: '{relative}' is not valid JSON: {e.Message}");
        }
    }
}
