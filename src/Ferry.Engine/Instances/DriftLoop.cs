using Ferry.Engine.Loops;
using Ferry.Engine.Pipelines;
using Ferry.Engine.Promoting;
using Ferry.Engine.Resources;
using Ferry.Storage;
using Microsoft.Extensions.Logging;

namespace Ferry.Engine.Instances;

/// <param name="Interval">How often every bound instance's flows are read.</param>
public sealed record DriftLoopOptions(TimeSpan Interval);

/// <summary>
/// The drift loop: reads the flows of every Node-RED instance an environment deploys into and records whether they
/// still match the snapshot Ferry deployed there last (<see cref="InstanceDrifts"/>). An instance that cannot be read
/// is logged and keeps its recorded drift; the others are still checked. A lock per environment keeps two server
/// nodes from reading the same instance at once.
/// </summary>
public sealed class DriftLoop(IStore store, PipelineConfigs configs, EnvironmentSync sync, InstanceDrifts drifts, DriftLoopOptions options,
    ILogger<DriftLoop> logger) : IBackgroundLoop
{
    public string Name => LoopNames.Drift;

    public TimeSpan Interval => options.Interval;

    public async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        foreach (var pipeline in await store.ListPipelinesAsync(cancellationToken))
        {
            if (pipeline.CurrentConfigNumber is null || await configs.CurrentAsync(pipeline, cancellationToken) is not { } config)
                continue;
            var (settings, records) = await sync.SyncAsync(pipeline, config, cancellationToken);
            foreach (var record in records)
            {
                if (settings.GetValueOrDefault(record.Name) is not { } environment || InstanceDrifts.InstanceSource(environment) is not { } source)
                    continue;
                await using var held = await store.Locks.TryAcquireAsync($"drift:{record.Id}", cancellationToken);
                if (held is null)
                    continue;
                try
                {
                    if (await drifts.CheckAsync(record.Id, source, cancellationToken) is { } drift)
                        logger.LogDebug("{Pipeline}/{Environment}: the instance drifted from snapshot {Deployed} (now {Live})",
                            pipeline.Name, record.Name, drift.Deployed.Hash[..12], drift.Live.Hash[..12]);
                }
                catch (Exception e) when (e is ResourceException or ResourceConfigException)
                {
                    logger.LogWarning("{Pipeline}/{Environment}: could not read the instance for drift: {Message}", pipeline.Name, record.Name, e.Message);
                }
            }
        }
    }
}
