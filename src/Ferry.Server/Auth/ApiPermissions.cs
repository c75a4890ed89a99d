using System.Collections.Frozen;
using Ferry.Server.Api;
using Ferry.Storage;

namespace Ferry.Server.Auth;

/// <summary>
/// Who may call each API endpoint, in one table: anyone (the info endpoint, resource webhooks with their own token),
/// any signed-in user (the endpoint looks further itself), or a role in the team of the pipeline (or build) the route
/// names. An endpoint missing from the table stops the server at start: nothing is open by forgetting it.
/// </summary>
internal static class ApiPermissions
{
    internal abstract record Rule;

    /// <summary>No sign-in needed; the endpoint must also carry <c>AllowAnonymous</c> for <see cref="TokenAuthentication"/>.</summary>
    internal sealed record Anyone : Rule;

    /// <summary>Any signed-in user; the endpoint itself checks what more it needs (users, tokens, lists, set-pipeline).</summary>
    internal sealed record SignedIn : Rule;

    /// <summary>A remote worker with its worker token (<see cref="TokenAuthentication"/> lets no user token in on these routes).</summary>
    internal sealed record WorkerToken : Rule;

    /// <summary>The operation on the pipeline of the route's <c>{pipeline}</c>.</summary>
    internal sealed record OnPipeline(Operation Operation) : Rule;

    /// <summary>The operation on the pipeline of the build of the route's <c>{id}</c>.</summary>
    internal sealed record OnBuild(Operation Operation) : Rule;

    private static readonly SignedIn Self = new();

    public static readonly FrozenDictionary<string, Rule> Rules = new Dictionary<string, Rule>
    {
        ["GetInfo"] = new Anyone(),
        ["CheckResourceWebhook"] = new Anyone(),

        ["WhoAmI"] = Self,
        ["ListUsers"] = Self,
        ["SaveUser"] = Self,
        ["RemoveUser"] = Self,
        ["SetTeamRole"] = Self,
        ["RemoveTeamRole"] = Self,
        ["CreateApiToken"] = Self,
        ["CreateWorkerToken"] = Self,
        ["ListApiTokens"] = Self,
        ["RevokeApiToken"] = Self,
        ["ListPipelines"] = Self,
        ["ListNodes"] = Self,
        ["ListWorkers"] = Self,

        ["RegisterWorker"] = new WorkerToken(),
        ["WorkerHeartbeat"] = new WorkerToken(),
        ["WorkerClaim"] = new WorkerToken(),
        ["WorkerBuildEvents"] = new WorkerToken(),
        ["WorkerBuildEnd"] = new WorkerToken(),
        ["WorkerSetPipeline"] = new WorkerToken(),

        ["ListBuilds"] = Self,
        ["ListAllAudit"] = Self,
        ["DiffPipelineConfig"] = Self,
        ["SetPipelineConfig"] = Self,
        ["ApiNotFound"] = Self,
        // The stream itself keeps to the pipelines the user may see (and answers 404 for a ?pipeline= they may not).
        ["StreamPipelineChanges"] = Self,

        ["GetPipeline"] = new OnPipeline(Operations.See),
        ["ListPipelineConfigs"] = new OnPipeline(Operations.See),
        ["GetPipelineConfigVersion"] = new OnPipeline(Operations.See),
        ["ListJobs"] = new OnPipeline(Operations.See),
        ["GetJob"] = new OnPipeline(Operations.See),
        ["ListJobBuilds"] = new OnPipeline(Operations.See),
        ["GetJobBuild"] = new OnPipeline(Operations.See),
        ["ExplainJob"] = new OnPipeline(Operations.See),
        ["ListResources"] = new OnPipeline(Operations.See),
        ["GetResource"] = new OnPipeline(Operations.See),
        ["ListVersions"] = new OnPipeline(Operations.See),
        ["GetVersion"] = new OnPipeline(Operations.See),
        ["ListEnvironments"] = new OnPipeline(Operations.See),
        ["GetEnvironment"] = new OnPipeline(Operations.See),
        ["ExplainEnvironment"] = new OnPipeline(Operations.See),
        ["PreviewPromotion"] = new OnPipeline(Operations.See),
        ["PushOptions"] = new OnPipeline(Operations.See),
        ["ListVariables"] = new OnPipeline(Operations.See),
        ["ListPromotions"] = new OnPipeline(Operations.See),
        ["GetPromotion"] = new OnPipeline(Operations.See),
        ["ListReleases"] = new OnPipeline(Operations.See),
        ["GetRelease"] = new OnPipeline(Operations.See),
        ["ListAudit"] = new OnPipeline(Operations.See),
        ["ListSnapshots"] = new OnPipeline(Operations.See),
        ["DiffSnapshots"] = new OnPipeline(Operations.See),
        ["GetDrift"] = new OnPipeline(Operations.See),
        ["GetBuild"] = new OnBuild(Operations.See),
        ["StreamBuildEvents"] = new OnBuild(Operations.See),
        ["GetBuildLog"] = new OnBuild(Operations.See),

        ["TriggerJob"] = new OnPipeline(Operations.TriggerJob),
        ["PauseJob"] = new OnPipeline(Operations.PauseJob),
        ["UnpauseJob"] = new OnPipeline(Operations.PauseJob),
        ["AbortBuild"] = new OnBuild(Operations.AbortBuild),
        ["PausePipeline"] = new OnPipeline(Operations.Pause),
        ["UnpausePipeline"] = new OnPipeline(Operations.Pause),
        ["CheckResource"] = new OnPipeline(Operations.Check),
        ["PinResource"] = new OnPipeline(Operations.Pin),
        ["UnpinResource"] = new OnPipeline(Operations.Pin),
        ["EnableVersion"] = new OnPipeline(Operations.DisableVersion),
        ["DisableVersion"] = new OnPipeline(Operations.DisableVersion),
        ["Promote"] = new OnPipeline(Operations.Promote),
        ["Push"] = new OnPipeline(Operations.Promote),
        ["Rollback"] = new OnPipeline(Operations.Rollback),
        ["RollbackToSnapshot"] = new OnPipeline(Operations.Rollback),
        ["TakeSnapshot"] = new OnPipeline(Operations.Check),
        ["HoldEnvironment"] = new OnPipeline(Operations.Hold),
        ["LiftHold"] = new OnPipeline(Operations.Hold),
        ["DisableRelease"] = new OnPipeline(Operations.DisableRelease),
        ["EnableRelease"] = new OnPipeline(Operations.DisableRelease),
        ["ApprovePromotion"] = new OnPipeline(Operations.Approve),
        ["RejectPromotion"] = new OnPipeline(Operations.Approve),

        ["ListStages"] = new OnPipeline(Operations.See),
        // A stage edit is a config change of an existing pipeline: set-pipeline's role (weakening protection: an owner, checked by the edit).
        ["AddStage"] = new OnPipeline(Operations.Set),
        ["MoveStage"] = new OnPipeline(Operations.Set),
        ["RemoveStage"] = new OnPipeline(Operations.Set),

        ["SetVariable"] = new OnPipeline(Operations.SetVariable),
        ["DeleteVariable"] = new OnPipeline(Operations.SetVariable),

        ["DestroyPipeline"] = new OnPipeline(Operations.Destroy),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Puts every endpoint of <paramref name="api"/> behind its rule; <see cref="Verify"/> makes sure each has one.</summary>
    public static void Apply(RouteGroupBuilder api) => api.AddEndpointFilter(async (invocation, next) =>
    {
        var http = invocation.HttpContext;
        var actor = http.RequestServices.GetRequiredService<RequestActor>();
        var rule = RuleOf(http.GetEndpoint());
        // Both ways, whatever the path: a worker token opens only worker endpoints, and those only a worker token.
        if ((rule is WorkerToken) != (actor.Worker is not null))
        {
            throw new ApiException(StatusCodes.Status401Unauthorized, rule is WorkerToken
                ? "this endpoint is for remote workers: it takes only a worker token (ferry token create --worker NAME)"
                : $"worker {actor.Worker}'s token authenticates only the worker routes");
        }
        switch (rule)
        {
            case OnPipeline p:
                var pipeline = http.Request.RouteValues["pipeline"] as string
                    ?? throw new InvalidOperationException($"API endpoint {http.GetEndpoint()?.DisplayName} has no {{pipeline}} in its route");
                await http.RequestServices.GetRequiredService<Access>().RequireAsync(pipeline, p.Operation, http.RequestAborted);
                break;
            case OnBuild b:
                var id = long.Parse((string)http.Request.RouteValues["id"]!, System.Globalization.CultureInfo.InvariantCulture);
                await RequireBuildAsync(http, id, b.Operation);
                break;
        }
        return await next(invocation);
    });

    /// <summary>
    /// At start: every endpoint under <paramref name="prefix"/> has a rule, and <c>AllowAnonymous</c> exactly where the
    /// rule is <see cref="Anyone"/> (<see cref="TokenAuthentication"/> reads the one, this filter the other).
    /// </summary>
    public static void Verify(IEnumerable<Endpoint> endpoints, string prefix)
    {
        foreach (var endpoint in endpoints.OfType<RouteEndpoint>().Where(e => e.RoutePattern.RawText?.StartsWith(prefix, StringComparison.Ordinal) == true))
        {
            var rule = RuleOf(endpoint);
            var anonymous = endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Authorization.IAllowAnonymous>() is not null;
            if (anonymous != rule is Anyone)
            {
                throw new InvalidOperationException($"API endpoint {endpoint.DisplayName}: AllowAnonymous() and its rule {rule.GetType().Name} disagree");
            }
        }
    }

    private static Rule RuleOf(Endpoint? endpoint)
    {
        var name = endpoint?.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName;
        return name is not null && Rules.TryGetValue(name, out var rule)
            ? rule
            : throw new InvalidOperationException(
                $"API endpoint {name ?? endpoint?.DisplayName} has no rule in {nameof(ApiPermissions)}: every endpoint must say who may call it");
    }

    /// <summary>A build is seen and touched as its pipeline is; a build of no pipeline only by global owners.</summary>
    internal static async Task RequireBuildAsync(HttpContext http, long id, Operation operation)
    {
        var build = await http.RequestServices.GetRequiredService<IStore>().BuildAsync(id, http.RequestAborted);
        var access = http.RequestServices.GetRequiredService<Access>();
        if (build.PipelineName is not { } pipeline)
        {
            if (!access.Who.IsOwner)
            {
                throw ApiException.NotFound($"build {id} not found");
            }
            return;
        }
        var seen = await access.PipelineAsync(pipeline, http.RequestAborted) ?? throw ApiException.NotFound($"build {id} not found");
        access.Require(seen, operation);
    }
}
