using Ferry.Engine.Loops;
using Ferry.Engine.Triggering;
using Ferry.Storage;

namespace Ferry.Engine.Scheduling;

/// <summary>
/// <c>ferry trigger</c>: resolves the job's inputs now and creates a pending build whatever its triggers say; an
/// input that has no version refuses the trigger with the resolver's reason.
/// </summary>
public sealed class ManualTrigger(IStore store, JobScheduler scheduler, LoopWaker waker) : IJobTrigger
{
    public async Task<long> TriggerAsync(int jobId, string? createdBy, CancellationToken cancellationToken)
    {
        var job = await store.GetJobByIdAsync(jobId, cancellationToken) ?? throw new JobTriggerException($"job {jobId} not found");
        var pipeline = await store.GetPipelineByIdAsync(job.PipelineId, cancellationToken)
            ?? throw new JobTriggerException($"pipeline of job '{job.Name}' not found");
        var state = await scheduler.ReadAsync(pipeline, cancellationToken)
            ?? throw new JobTriggerException($"pipeline '{pipeline.Name}' has no config");
        var config = JobScheduler.ConfigOf(state, job)
            ?? throw new JobTriggerException($"job '{job.Name}' is not in the current config of '{pipeline.Name}'");
        if (config.DisableManualTrigger)
            throw new JobTriggerException($"job '{job.Name}' has disable_manual_trigger set");
        var (_, resolution) = await scheduler.ResolveAsync(state, config, cancellationToken);
        if (!resolution.Ok)
        {
            var reasons = resolution.Errors.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"input '{e.Key}': {e.Value}");
            throw new JobTriggerException(string.Join("; ", reasons));
        }
        var build = await scheduler.CreateBuildAsync(state, job, config, resolution, createdBy, cancellationToken);
        waker.Wake(LoopNames.Runner);
        return build.Id;
    }
}
