using System.Text.Json.Nodes;
using Ferry.Core.Pipelines;
using Ferry.Core.Promotion;
using Ferry.Engine.Resources;
using Ferry.Engine.Resources.NodeRed;

namespace Ferry.Engine.Promoting;

/// <summary>
/// A release on its way into the Node-RED instance an environment is bound to: the instance's source and the flows
/// of the release's snapshot, from the snapshot cache. What the preview reads of the instance (its flows, its node
/// modules) it reads through <see cref="AskAsync{T}"/>, which gives up after a few seconds: the preview still shows
/// versions and keys, and the put itself fails naming an instance that does not answer. The instance's flows are read
/// once per preview, whoever asks (<see cref="TargetFlowsAsync"/>).
/// </summary>
internal sealed class InstanceRelease(JsonObject source, string hash, JsonArray flows, SnapshotCache cache, EnvKeysMode envKeys)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);
    private Task<DeployedFlows?>? _targetFlows;

    /// <summary>The release's snapshot, named by its hash.</summary>
    public string Hash { get; } = hash;

    /// <summary>The release's flows, as its snapshot holds them.</summary>
    public JsonArray Flows { get; } = flows;

    public SnapshotCache Cache { get; } = cache;

    /// <summary>What the environment does with the target's env values (<c>env_keys</c>).</summary>
    public EnvKeysMode EnvKeys { get; } = envKeys;

    /// <summary>Null when the environment deploys with a plan of its own, or the release's snapshot is not at hand.</summary>
    public static async Task<InstanceRelease?> OfAsync(PipelineConfig config, EnvironmentConfig environment, Release release, string resourceCache,
        CancellationToken cancellationToken)
    {
        if (environment is not { Deploy.Count: 0, Instance: { IsInline: true, Type: NodeRedResourceType.TypeName, Source: { } source } })
            return null;
        var items = release.Items.Where(i => config.FindResource(i.Resource)?.Type == NodeRedResourceType.TypeName).ToList();
        var cache = new SnapshotCache(resourceCache);
        if (items is not [var item] || item.Version.GetValueOrDefault("snapshot") is not { } hash
            || await cache.TryLoadAsync(hash, cancellationToken) is not { } text || JsonNode.Parse(text) is not JsonArray flows)
            return null;
        return new InstanceRelease(source, hash, flows, cache, environment.EnvKeys);
    }

    /// <summary>The flows the instance runs now (and their rev), read at the first ask; null when it does not answer.</summary>
    public Task<DeployedFlows?> TargetFlowsAsync(CancellationToken cancellationToken) =>
        _targetFlows ??= AskAsync((admin, ct) => admin.GetFlowsAsync(ct), cancellationToken);

    /// <summary>Asks the instance through its Admin API; null when it refuses or does not answer in time.</summary>
    public async Task<T?> AskAsync<T>(Func<NodeRedAdmin, CancellationToken, Task<T>> ask, CancellationToken cancellationToken) where T : class
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(Timeout);
            // A source still holding a ((var)) fails to parse or to authenticate: the preview then goes without the instance.
            return await ask(new NodeRedAdmin(NodeRedSource.Parse(source)), timeout.Token);
        }
        catch (Exception e) when (e is ResourceException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return null;
        }
    }
}
