using System.Collections.Concurrent;
using Ferry.Core.Pipelines;
using Ferry.Core.Promotion;
using Ferry.Storage;

namespace Ferry.Engine.Promoting;

/// <summary>
/// Keeps the store's environments in step with each pipeline's current config and, for <c>for_each</c> environments,
/// with the branches that exist now: whenever the environments these give change.
/// </summary>
public sealed class EnvironmentSync(IStore store, PullRequestEnvironments pullRequests)
{
    private readonly ConcurrentDictionary<int, string> _synced = new();

    /// <summary>The environments' settings by name and their records (upstream first), synced when needed.</summary>
    public async Task<(IReadOnlyDictionary<string, EnvironmentSettings> Settings, IReadOnlyList<EnvironmentRecord> Records)> SyncAsync(
        PipelineRecord pipeline, PipelineConfig config, CancellationToken cancellationToken)
    {
        var settings = new Dictionary<string, EnvironmentSettings>(EnvironmentSettings.All(config), StringComparer.Ordinal);
        foreach (var instance in await pullRequests.InstancesAsync(pipeline, config, cancellationToken))
            settings.TryAdd(instance.Name, instance);
        var nodes = Nodes(config, settings);
        // The creation time: a pipeline that got a destroyed one's id (SQLite) has environments of its own to sync.
        var key = $"{pipeline.CreatedAt.ToUnixTimeMilliseconds()}:{pipeline.CurrentConfigNumber}:{string.Join(",", nodes.Select(n => n.Name + "<" + string.Join("|", n.Upstream)))}";
        if (_synced.TryGetValue(pipeline.Id, out var done) && done == key)
            return (settings, await store.ListEnvironmentsAsync(pipeline.Id, cancellationToken));
        var records = await store.SyncEnvironmentsAsync(pipeline.Id, nodes, cancellationToken);
        _synced[pipeline.Id] = key;
        return (settings, records);
    }

    /// <summary>Drops what is kept for a destroyed pipeline.</summary>
    public void Forget(int pipelineId) => _synced.TryRemove(pipelineId, out _);

    /// <summary>
    /// The DAG as promotion sees it. An environment that names a <c>for_each</c> environment in <c>from</c> takes
    /// releases verified in any of its per-branch environments.
    /// </summary>
    private static List<EnvironmentNode> Nodes(PipelineConfig config, IReadOnlyDictionary<string, EnvironmentSettings> settings)
    {
        var nodes = new List<EnvironmentNode>();
        foreach (var environment in settings.Values)
        {
            var upstream = new List<string>();
            var any = environment.Config.FromPolicy == FromPolicy.Any;
            foreach (var from in environment.Config.From)
            {
                if (config.FindEnvironment(from) is not { } declared)
                    continue;
                if (declared.ForEach is null)
                {
                    upstream.Add(from);
                    continue;
                }
                // The declaration itself stays a node (never verified): with no branch open, nothing passes.
                upstream.AddRange(settings.Values.Where(s => s.Config == declared).Select(s => s.Name));
                any = true;
            }
            nodes.Add(new EnvironmentNode(environment.Name, upstream, any));
        }
        var order = config.Environments.Select(e => e.Name).ToList();
        return [.. nodes.OrderBy(n => order.IndexOf(settings[n.Name].Config.Name)).ThenBy(n => n.Name, StringComparer.Ordinal)];
    }
}
