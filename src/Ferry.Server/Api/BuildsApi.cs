using Ferry.Core.Builds;
using Ferry.Server.Auth;
using Ferry.Storage;

namespace Ferry.Server.Api;

/// <summary>Builds: list and filter, get with inputs and outputs, abort. Their events stream from <see cref="BuildEventsApi"/>.</summary>
internal static class BuildsApi
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;

    public static void Map(RouteGroupBuilder api)
    {
        var builds = api.MapGroup("/builds").WithTags("Builds");
        builds.MapGet("/", ListAsync).WithName("ListBuilds")
            .WithSummary("Builds newest first; filter by pipeline and job; page with before (the last id of the previous page).");
        builds.MapGet("/{id:long}", GetAsync).WithName("GetBuild");
        builds.MapPut("/{id:long}/abort", AbortAsync).WithName("AbortBuild");
        BuildEventsApi.Map(builds);
        BuildLogApi.Map(builds);
    }

    /// <summary>Builds of the pipeline asked for, or of every pipeline the caller may see.</summary>
    private static async Task<BuildList> ListAsync(IStore store, Access access, string? pipeline, string? job, int? limit, long? before, CancellationToken ct)
    {
        int? pipelineId = null, jobId = null;
        IReadOnlyCollection<int>? visible = null;
        if (job is not null && pipeline is null)
        {
            throw ApiException.BadRequest("job", "job needs pipeline too: ?pipeline=P&job=J");
        }
        if (pipeline is not null)
        {
            pipelineId = (await access.RequireAsync(pipeline, Operations.See, ct)).Pipeline.Id;
        }
        else if (!access.Who.IsOwner)
        {
            visible = [.. (await access.VisiblePipelinesAsync(ct)).Select(a => a.Pipeline.Id)];
        }
        if (job is not null)
        {
            jobId = (await store.JobAsync(pipeline!, job, ct)).Job.Id;
        }
        return await PageAsync(store, new BuildQuery(pipelineId, jobId, before, Limit(limit)) { PipelineIds = visible }, ct);
    }

    internal static int Limit(int? limit) => limit switch
    {
        null => DefaultLimit,
        < 1 or > MaxLimit => throw ApiException.BadRequest("limit", $"limit must be between 1 and {MaxLimit}, not {limit}"),
        _ => limit.Value,
    };

    internal static async Task<BuildList> PageAsync(IStore store, BuildQuery query, CancellationToken ct)
    {
        var builds = await store.ListBuildsAsync(query, ct);
        return new BuildList([.. builds.Select(BuildSummary.From)], builds.Count == query.Limit ? builds[^1].Id : null);
    }

    private static async Task<BuildDetail> GetAsync(IStore store, long id, CancellationToken ct) =>
        await DetailAsync(store, await store.BuildAsync(id, ct), ct);

    internal static async Task<BuildDetail> DetailAsync(IStore store, BuildRecord build, CancellationToken ct)
    {
        var inputs = await store.GetBuildInputsAsync(build.Id, ct);
        var outputs = await store.GetBuildOutputsAsync(build.Id, ct);
        return new BuildDetail(
            BuildSummary.From(build),
            [.. inputs.Select(i => new BuildInput(i.Name, i.ResourceName, i.VersionId, i.Version.Version, i.FirstOccurrence))],
            [.. outputs.Select(o => new BuildOutput(o.ResourceName, o.VersionId, o.Version.Version))]);
    }

    private static async Task<BuildSummary> AbortAsync(IStore store, HttpContext http, long id, CancellationToken ct)
    {
        var build = await store.BuildAsync(id, ct);
        if (build.Status.IsFinal())
        {
            throw ApiException.Conflict($"build {id} already ended: {build.Status.ToString().ToLowerInvariant()}");
        }
        var who = http.User.Identity?.Name;
        var aborted = await store.RequestAbortAsync(id, who is null ? "aborted by request" : $"aborted by {who}", ct)
            ?? throw ApiException.NotFound($"build {id} not found");
        return BuildSummary.From(aborted);
    }
}
