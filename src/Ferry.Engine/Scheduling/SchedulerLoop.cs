using Ferry.Engine.Loops;
using Ferry.Storage;
using Microsoft.Extensions.Logging;

namespace Ferry.Engine.Scheduling;

/// <summary>
/// The scheduler: for every job of every unpaused pipeline, resolves its inputs and creates a pending build when
/// a <c>trigger: true</c> input has a version the job never used for it, within serial and max_in_flight limits.
/// A lock per job keeps two server nodes from scheduling the same job at once.
/// </summary>
public sealed class SchedulerLoop(IStore store, JobScheduler scheduler, LoopWaker waker, ILogger<SchedulerLoop> logger) : IBackgroundLoop
{
    public string Name => LoopNames.Scheduler;

    public TimeSpan Interval => TimeSpan.FromSeconds(2);

    public async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var created = 0;
        var pipelines = await store.ListPipelinesAsync(cancellationToken);
        scheduler.ForgetPipelinesExcept([.. pipelines.Select(p => p.Id)]);
        foreach (var pipeline in pipelines)
        {
            if (pipeline.Paused)
                continue;
            try
            {
                created += await ScheduleAsync(pipeline, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError("scheduling pipeline {Pipeline} failed: {Message}", pipeline.Name, e.Message);
            }
        }
        if (created > 0)
            waker.Wake(LoopNames.Runner);
    }

    private async Task<int> ScheduleAsync(PipelineRecord pipeline, CancellationToken cancellationToken)
    {
        var state = await scheduler.ReadAsync(pipeline, cancellationToken);
        if (state is null)
            return 0;
        var jobIds = state.Jobs.ToDictionary(j => j.Name, j => j.Id);
        var created = 0;
        foreach (var job in state.Jobs)
        {
            var config = JobScheduler.ConfigOf(state, job);
            if (job.Paused || !job.Active || config is null)
                continue;
            if (!JobLimits.HasRoom(config, job.Id, state.Config, jobIds, state.InFlight))
                continue;
            await using var held = await store.Locks.TryAcquireAsync($"schedule:{job.Id}", cancellationToken);
            if (held is null)
                continue;
            var (inputs, resolution) = await scheduler.ResolveAsync(state, config, cancellationToken);
            if (inputs.Count == 0 || !resolution.Ok || !resolution.TriggersBuild)
                continue;
            // An `every` input with more versions waiting: schedule again at once rather than after the interval.
            if (resolution.HasNext)
                waker.Wake(LoopNames.Scheduler);
            var build = await scheduler.CreateBuildAsync(state, job, config, resolution, null, cancellationToken);
            logger.LogInformation("{Pipeline}/{Job} #{Build} pending: {Inputs}", pipeline.Name, job.Name, build.Name,
                string.Join(", ", resolution.Values.Keys));
            created++;
        }
        return created;
    }
}
