using Ferry.Core.Pipelines;
using Ferry.Storage;

namespace Ferry.Engine.Scheduling;

/// <summary>
/// serial, serial_groups and max_in_flight: how many builds of a job (or of its serial groups) may be pending or
/// running at once. The scheduler creates no new build while a job is at its limit, so the next build resolves
/// its inputs when the running one has finished.
/// </summary>
internal static class JobLimits
{
    public static int MaxInFlight(JobConfig job) =>
        job.MaxInFlight is { } max and > 0 ? max : job.Serial || job.SerialGroups.Count > 0 ? 1 : int.MaxValue;

    public static bool HasRoom(JobConfig job, int jobId, PipelineConfig pipeline, IReadOnlyDictionary<string, int> jobIds,
        IReadOnlyDictionary<int, int> inFlight)
    {
        var max = MaxInFlight(job);
        if (inFlight.GetValueOrDefault(jobId) >= max)
            return false;
        if (job.SerialGroups.Count == 0)
            return true;
        // A serial group runs one build at a time across all of its jobs (max_in_flight widens it).
        var groupMates = pipeline.Jobs.Where(j => j.SerialGroups.Intersect(job.SerialGroups).Any());
        var groupInFlight = groupMates.Sum(j => jobIds.TryGetValue(j.Name, out var id) ? inFlight.GetValueOrDefault(id) : 0);
        return groupInFlight < max;
    }
}
