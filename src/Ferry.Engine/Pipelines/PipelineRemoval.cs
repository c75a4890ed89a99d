using Ferry.Engine.Promoting;
using Ferry.Storage;

namespace Ferry.Engine.Pipelines;

/// <summary>
/// Destroying a pipeline: the store deletes it with everything it had but its audit entries (it adds one for the
/// destroy), and the engine forgets what it kept in memory about it, so a pipeline set next, which SQLite may give the
/// same id, starts from its own config.
/// </summary>
public sealed class PipelineRemoval(IStore store, PipelineConfigs configs, EnvironmentSync environments, ReleaseFormer releases)
{
    /// <returns>False when there is no such pipeline.</returns>
    public async Task<bool> DestroyAsync(string name, string actor, CancellationToken cancellationToken)
    {
        var pipeline = await store.GetPipelineAsync(name, cancellationToken);
        if (pipeline is null)
            return false;
        var destroyed = await store.DestroyPipelineAsync(name, actor, cancellationToken);
        configs.Forget(pipeline.Id);
        environments.Forget(pipeline.Id);
        releases.Forget(pipeline.Id);
        return destroyed;
    }
}
