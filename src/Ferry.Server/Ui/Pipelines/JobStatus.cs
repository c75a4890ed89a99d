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

    public static async Task<IReadOnlyList<JobStatus>> ListAsync(IStore store, PipelineRecord pipeline, CancellationToken ct = default) =>
        (await ListAsync(store, [pipeline], ct)).GetValueOrDefault(pipeline.Id) ?? [];

    /// <summary>Each pipeline's jobs with their status, read in a fixed number of queries (the dashboard shows many pipelines).</summary>
    public static async Task<IReadOnlyDictionary<int, IReadOnlyList<JobStatus>>> ListAsync(IStore store, IReadOnlyList<PipelineRecord> pipelines,
        CancellationToken ct = default) =>
        (await store.ListJobLatestAsync([.. pipelines.Select(p => p.Id)], ct))
        .GroupBy(j => j.Job.PipelineId)
        .ToDictionary(g => g.Key, g => (IReadOnlyList<JobStatus>)[.. g.Select(j => new JobStatus(j.Job, j.Finished, j.Running))]);
}
