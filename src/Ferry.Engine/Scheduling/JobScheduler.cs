using Ferry.Core.Pipelines;
using Ferry.Core.Planning;
using Ferry.Core.Plans;
using Ferry.Core.Resolving;
using Ferry.Engine.Pipelines;
using Ferry.Engine.Triggering;
using Ferry.Storage;

namespace Ferry.Engine.Scheduling;

/// <summary>
/// Resolves a job's inputs against a pipeline's history and turns a resolution into a pending build (plan compiled
/// with the chosen versions, inputs and build pipes stored with it). Used by the scheduler loop, by manual
/// triggers and by <c>ferry explain</c>.
/// </summary>
public sealed class JobScheduler(IStore store, PipelineConfigs configs)
{
    private readonly ResolverSnapshots _snapshots = new(store);

    /// <summary>Everything one pass needs about a pipeline, read once.</summary>
    public sealed record PipelineState(
        PipelineRecord Pipeline,
        PipelineConfig Config,
        IReadOnlyList<JobRecord> Jobs,
        IReadOnlyDictionary<string, ResourceRecord> Resources,
        ResolverSnapshot Snapshot,
        Dictionary<int, int> InFlight);

    public async Task<PipelineState?> ReadAsync(PipelineRecord pipeline, CancellationToken cancellationToken)
    {
        var config = await configs.CurrentAsync(pipeline, cancellationToken);
        if (config is null)
            return null;
        var jobs = await store.ListJobsAsync(pipeline.Id, cancellationToken: cancellationToken);
        var resources = (await store.ListResourcesAsync(pipeline.Id, cancellationToken: cancellationToken)).ToDictionary(r => r.Name);
        var snapshot = await _snapshots.CurrentAsync(pipeline.Id, cancellationToken);
        if (snapshot is null)
            return null;
        var inFlight = (await store.GetInFlightAsync(pipeline.Id, cancellationToken)).ToDictionary(j => j.JobId, j => j.Pending + j.Started);
        return new PipelineState(pipeline, config, jobs, resources, snapshot, inFlight);
    }

    public async Task<(List<InputConfig> Inputs, Resolution Resolution)> ResolveAsync(PipelineState state, JobConfig job, CancellationToken cancellationToken)
    {
        var inputs = await JobInputs.OfAsync(state.Config, job, state.Resources, async (resourceId, fields) =>
            (await store.FindVersionAsync(resourceId, fields, cancellationToken))?.Id);
        return (inputs, Resolver.Resolve(state.Snapshot, job.Name, inputs));
    }

    /// <summary>Compiles the job's plan with the resolved versions and stores the pending build.</summary>
    public async Task<BuildRecord> CreateBuildAsync(PipelineState state, JobRecord job, JobConfig jobConfig,
        Resolution resolution, string? createdBy, CancellationToken cancellationToken)
    {
        var versions = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);
        var inputs = new List<NewBuildInput>();
        foreach (var (name, input) in resolution.Values)
        {
            var version = await store.GetVersionAsync(input.VersionId, cancellationToken)
                ?? throw new JobTriggerException($"input '{name}': version {input.VersionId} no longer exists");
            versions[name] = version.Version.Version;
            inputs.Add(new NewBuildInput(name, input.ResourceId, input.VersionId, input.FirstOccurrence));
        }
        PlanNode plan;
        try
        {
            plan = new PlanCompiler(state.Config, versions).CompileJob(jobConfig);
        }
        catch (PlanCompileException e)
        {
            throw new JobTriggerException(e.Message);
        }
        var pipes = resolution.Values.Values.SelectMany(v => v.PassedBuildIds).Distinct().ToList();
        var build = await store.CreateBuildAsync(
            new NewBuild(state.Pipeline.Id, job.Id, PlanJson.Serialize(plan), inputs, pipes, CreatedBy: createdBy)
            {
                ConfigNumber = state.Pipeline.CurrentConfigNumber,
            }, cancellationToken);
        state.InFlight[job.Id] = state.InFlight.GetValueOrDefault(job.Id) + 1;
        return build;
    }

    /// <summary>Drops the kept snapshots of pipelines not among <paramref name="pipelineIds"/> (the scheduler passes every pipeline there is).</summary>
    public void ForgetPipelinesExcept(IReadOnlyCollection<int> pipelineIds) => _snapshots.Retain(pipelineIds);

    /// <summary>The job's config in the pipeline's current config; null when the config no longer has it.</summary>
    public static JobConfig? ConfigOf(PipelineState state, JobRecord job) => state.Config.FindJob(job.Name);
}
