using Ferry.Engine.Scheduling;
using Ferry.Engine.Loops;
using Ferry.Engine.Triggering;
using Ferry.Storage;

namespace Ferry.Server.Api;

/// <summary>Jobs: list with their newest builds, get, a job's builds, trigger, pause.</summary>
internal static class JobsApi
{
    public static void Map(RouteGroupBuilder api)
    {
        var jobs = api.MapGroup("/pipelines/{pipeline}/jobs").WithTags("Jobs");
        jobs.MapGet("/", ListAsync).WithName("ListJobs");
        jobs.MapGet("/{job}", GetAsync).WithName("GetJob");
        jobs.MapGet("/{job}/builds", BuildsAsync).WithName("ListJobBuilds");
        jobs.MapGet("/{job}/builds/{name}", GetBuildAsync).WithName("GetJobBuild");
        jobs.MapPost("/{job}/builds", TriggerAsync).WithName("TriggerJob")
            .WithSummary("Resolves the job's inputs and creates a pending build.");
        jobs.MapGet("/{job}/explain", ExplainAsync).WithName("ExplainJob")
            .WithSummary("Which version each input would get now, which passed job blocks it, and whether a build would start.");
        jobs.MapPut("/{job}/pause", (IStore store, string pipeline, string job, CancellationToken ct) => PauseAsync(store, pipeline, job, true, ct))
            .WithName("PauseJob");
        jobs.MapPut("/{job}/unpause", (IStore store, string pipeline, string job, CancellationToken ct) => PauseAsync(store, pipeline, job, false, ct))
            .WithName("UnpauseJob");
    }

    private static async Task<IReadOnlyList<JobSummary>> ListAsync(IStore store, string pipeline, CancellationToken ct)
    {
        var p = await store.PipelineAsync(pipeline, ct);
        var result = new List<JobSummary>();
        foreach (var job in await store.ListJobsAsync(p.Id, false, ct))
        {
            result.Add(await SummaryAsync(store, p, job, ct));
        }
        return result;
    }

    private static async Task<JobExplanation> ExplainAsync(IStore store, JobExplainer explainer, string pipeline, string job, CancellationToken ct)
    {
        await store.JobAsync(pipeline, job, ct);
        return await explainer.ExplainAsync(pipeline, job, ct)
            ?? throw ApiException.NotFound($"job '{pipeline}/{job}' is not in the pipeline's current config");
    }

    private static async Task<JobSummary> GetAsync(IStore store, string pipeline, string job, CancellationToken ct)
    {
        var (p, j) = await store.JobAsync(pipeline, job, ct);
        return await SummaryAsync(store, p, j, ct);
    }

    private static async Task<JobSummary> SummaryAsync(IStore store, PipelineRecord p, JobRecord j, CancellationToken ct)
    {
        // The newest finished build is usually among the newest few; a job with more running than that shows none.
        var newest = await store.ListBuildsAsync(new BuildQuery(p.Id, j.Id, Limit: 20), ct);
        return JobSummary.From(p, j, newest);
    }

    private static async Task<BuildList> BuildsAsync(IStore store, string pipeline, string job, int? limit, long? before, CancellationToken ct)
    {
        var (p, j) = await store.JobAsync(pipeline, job, ct);
        return await BuildsApi.PageAsync(store, new BuildQuery(p.Id, j.Id, before, BuildsApi.Limit(limit)), ct);
    }

    private static async Task<BuildDetail> GetBuildAsync(IStore store, string pipeline, string job, string name, CancellationToken ct)
    {
        var (_, j) = await store.JobAsync(pipeline, job, ct);
        var build = await store.GetJobBuildAsync(j.Id, name, ct)
            ?? throw ApiException.NotFound($"build '{name}' of job '{pipeline}/{job}' not found");
        return await BuildsApi.DetailAsync(store, build, ct);
    }

    private static async Task<IResult> TriggerAsync(
        IStore store, IServiceProvider services, LoopWaker waker, HttpContext http, string pipeline, string job, CancellationToken ct)
    {
        var (_, j) = await store.JobAsync(pipeline, job, ct);
        var trigger = services.GetService<IJobTrigger>()
            ?? throw new ApiException(StatusCodes.Status501NotImplemented, "this server has no scheduler to trigger jobs with");
        long id;
        try
        {
            id = await trigger.TriggerAsync(j.Id, PipelinesApi.CreatedBy(http), ct);
        }
        catch (JobTriggerException e)
        {
            throw new ApiException(StatusCodes.Status409Conflict, $"cannot trigger job '{pipeline}/{job}': {e.Message}");
        }
        waker.Wake(LoopNames.Runner);
        var build = await store.BuildAsync(id, ct);
        return TypedResults.Created($"/api/v1/builds/{id}", BuildSummary.From(build));
    }

    private static async Task<JobSummary> PauseAsync(IStore store, string pipeline, string job, bool paused, CancellationToken ct)
    {
        var (p, j) = await store.JobAsync(pipeline, job, ct);
        await store.SetJobPausedAsync(j.Id, paused, ct);
        return await SummaryAsync(store, p, j with { Paused = paused }, ct);
    }
}
