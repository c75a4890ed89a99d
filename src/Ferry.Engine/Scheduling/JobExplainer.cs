using Ferry.Core.Pipelines;
using Ferry.Core.Resolving;
using Ferry.Storage;

namespace Ferry.Engine.Scheduling;

/// <summary>What one input of a job would get now, or why it gets nothing.</summary>
/// <param name="Version">The version it would get; null when it is blocked.</param>
/// <param name="Blockers">For a blocked input with passed: which passed job stops it, and why.</param>
public sealed record InputExplanation(
    string Name,
    string Resource,
    IReadOnlyList<string> Passed,
    string Mode,
    bool Trigger,
    long? VersionId,
    IReadOnlyDictionary<string, string>? Version,
    bool? NewForJob,
    string? Error,
    IReadOnlyList<InputBlocker> Blockers);

/// <summary>Why a job runs or waits: each input's version or blocker, and a one-line verdict.</summary>
public sealed record JobExplanation(string Pipeline, string Job, bool WouldTrigger, string Verdict, IReadOnlyList<InputExplanation> Inputs)
{
    /// <summary>For each pending build of the job (oldest first), which workers may take it, or why none may.</summary>
    public IReadOnlyList<string> Pending { get; init; } = [];
}

/// <summary><c>ferry explain -j P/J</c>: resolves a job's inputs as the scheduler would, and says what stands in the way.</summary>
public sealed class JobExplainer(IStore store, JobScheduler scheduler)
{
    /// <summary>Null when the pipeline or job does not exist.</summary>
    public async Task<JobExplanation?> ExplainAsync(string pipelineName, string jobName, CancellationToken cancellationToken)
    {
        var pipeline = await store.GetPipelineAsync(pipelineName, cancellationToken);
        if (pipeline is null)
            return null;
        var state = await scheduler.ReadAsync(pipeline, cancellationToken);
        var job = state?.Jobs.FirstOrDefault(j => j.Name == jobName);
        var config = state is null || job is null ? null : JobScheduler.ConfigOf(state, job);
        if (state is null || job is null || config is null)
            return null;
        return await ExplainAsync(pipeline, state, job, config, cancellationToken);
    }

    /// <summary>Every job of the pipeline, reading the pipeline's state once (the web UI's graph); none when the pipeline does not exist.</summary>
    public async Task<IReadOnlyList<JobExplanation>> ExplainAllAsync(string pipelineName, CancellationToken cancellationToken)
    {
        var pipeline = await store.GetPipelineAsync(pipelineName, cancellationToken);
        var state = pipeline is null ? null : await scheduler.ReadAsync(pipeline, cancellationToken);
        if (pipeline is null || state is null)
            return [];
        var explained = new List<JobExplanation>();
        foreach (var job in state.Jobs)
        {
            if (JobScheduler.ConfigOf(state, job) is { } config)
                explained.Add(await ExplainAsync(pipeline, state, job, config, cancellationToken));
        }
        return explained;
    }

    private async Task<JobExplanation> ExplainAsync(PipelineRecord pipeline, JobScheduler.PipelineState state, JobRecord job, JobConfig config, CancellationToken cancellationToken)
    {
        var (inputs, resolution) = await scheduler.ResolveAsync(state, config, cancellationToken);
        var explained = new List<InputExplanation>();
        foreach (var input in inputs)
        {
            resolution.Values.TryGetValue(input.Name, out var value);
            var version = value is null ? null : await store.GetVersionAsync(value.VersionId, cancellationToken);
            explained.Add(new InputExplanation(
                input.Name, input.Resource, input.Passed, input.Mode.ToString().ToLowerInvariant(), input.Trigger,
                value?.VersionId, version?.Version.Version, value?.FirstOccurrence,
                resolution.Errors.GetValueOrDefault(input.Name),
                resolution.Blockers.GetValueOrDefault(input.Name) ?? []));
        }
        var jobIds = state.Jobs.ToDictionary(j => j.Name, j => j.Id);
        var verdict = Verdict(pipeline, job, inputs, resolution, JobLimits.HasRoom(config, job.Id, state.Config, jobIds, state.InFlight));
        var would = verdict is null;
        return new JobExplanation(pipeline.Name, job.Name, would,
            verdict ?? "a new build starts: a trigger input has a version this job has not built yet", explained)
        {
            Pending = await PendingAsync(job, cancellationToken),
        };
    }

    private async Task<IReadOnlyList<string>> PendingAsync(JobRecord job, CancellationToken cancellationToken)
    {
        var pending = (await store.ListBuildsAsync(new BuildQuery(JobId: job.Id, Limit: 20), cancellationToken))
            .Where(b => b.Status == Ferry.Core.Builds.BuildStatus.Pending).OrderBy(b => b.Id).ToList();
        if (pending.Count == 0)
            return [];
        var nodes = await store.ListNodesAsync(0, cancellationToken);
        var workers = await store.ListWorkersAsync(cancellationToken);
        var lines = new List<string>();
        foreach (var build in pending)
            lines.Add(Workers.WorkerFit.WhyPending($"build #{build.Name}", await store.GetBuildTagsAsync(build.Id, cancellationToken), nodes, workers));
        return lines;
    }

    private static string? Verdict(PipelineRecord pipeline, JobRecord job, List<InputConfig> inputs, Resolution resolution, bool hasRoom)
    {
        if (pipeline.Paused)
            return $"the pipeline '{pipeline.Name}' is paused";
        if (job.Paused)
            return $"the job '{job.Name}' is paused";
        if (inputs.Count == 0)
            return "the job has no inputs: it runs only when triggered by hand";
        if (!resolution.Ok)
        {
            var blocked = resolution.Errors.Keys.Order(StringComparer.Ordinal);
            return $"blocked: input(s) {string.Join(", ", blocked.Select(n => $"'{n}'"))} have no version that satisfies them";
        }
        if (!inputs.Any(i => i.Trigger))
            return "no input has trigger: true: the job runs only when triggered by hand";
        if (!resolution.TriggersBuild)
            return "waiting: every trigger input's version has already been built by this job";
        if (!hasRoom)
            return "waiting: the job is at its serial / max_in_flight limit";
        return null;
    }
}
