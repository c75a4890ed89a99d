using Ferry.Core.Builds;
using Ferry.Server.Ui.Builds;
using Ferry.Storage;

namespace Ferry.Server.Ui.Pipelines;

/// <summary>A job as the dashboard and the graph colour it: its newest finished build, and whether one is running.</summary>
internal sealed record JobStatus(JobRecord Job, BuildRecord? Finished, BuildRecord? Running)
{
    /// <summary>"succeeded", "failed" …, "pending" when the job never finished a build.</summary>
    public string LastStatus => Finished is null ? "pending" : StatusBadge.Of(Finished.Status);

    public string CssClass => string.Join(' ', new[] { LastStatus, Running is null ? null : "running", Job.Paused ? "paused" : null }.OfType<string>());

    public string Title =>
        $"{Job.Name}: {(Finished is null ? "no build yet" : $"#{Finished.Name} {LastStatus}")}" +
        (Running is null ? "" : $", #{Running.Name} {StatusBadge.Of(Running.Status)}") + (Job.Paused ? ", paused" : "");

    public static async Task<IReadOnlyList<JobStatus>> ListAsync(IStore store, PipelineRecord pipeline, CancellationToken ct = default)
    {
        var result = new List<JobStatus>();
        foreach (var job in await store.ListJobsAsync(pipeline.Id, false, ct))
        {
            // The newest finished build is usually among the newest few (as the API's job summary reads it).
            var newest = await store.ListBuildsAsync(new BuildQuery(pipeline.Id, job.Id, Limit: 20), ct);
            result.Add(new JobStatus(job, newest.FirstOrDefault(b => b.Status.IsFinal()), newest.FirstOrDefault(b => !b.Status.IsFinal())));
        }
        return result;
    }
}
