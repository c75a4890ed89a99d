using System.Text.Json;
using Ferry.Core.Builds;
using Ferry.Core.Plans;
using Ferry.Engine.Nodes;
using Ferry.Engine.Running;
using Ferry.Engine.Workers;
using Ferry.Server.Auth;
using Ferry.Server.Hosting;
using Ferry.Server.Workers;
using Ferry.Storage;
using Ferry.Storage.Workers;

namespace Ferry.Server.Api;

/// <summary>
/// The servers' side of <see cref="WorkerProtocol"/>: remote workers register, beat, claim builds that fit their tags,
/// send their events and their end, and ask the servers to set pipelines; and the list of workers users see (remote
/// ones, and each live server node's embedded worker).
/// </summary>
internal static class WorkersApi
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/workers", ListAsync).WithTags("Info").WithName("ListWorkers")
            .WithSummary("The workers: each live server node's embedded worker (untagged), then the remote workers with their tags, state, last heartbeat and running builds.");
        var worker = api.MapGroup("/worker").WithTags("Workers").ExcludeFromDescription();
        worker.MapPost("/register", RegisterAsync).WithName("RegisterWorker");
        worker.MapPost("/heartbeat", HeartbeatAsync).WithName("WorkerHeartbeat");
        worker.MapPost("/claim", ClaimAsync).WithName("WorkerClaim");
        worker.MapPost("/builds/{id:long}/events", EventsAsync).WithName("WorkerBuildEvents");
        worker.MapPost("/builds/{id:long}/end", EndAsync).WithName("WorkerBuildEnd");
        worker.MapPost("/builds/{id:long}/set-pipeline", SetPipelineAsync).WithName("WorkerSetPipeline");
    }

    private static Task<IReadOnlyList<WorkerModel>> ListAsync(WorkerList workers, CancellationToken ct) => workers.WorkersAsync(ct);

    private static string Me(RequestActor actor) => actor.Worker ?? throw new InvalidOperationException("a worker route without a worker");

    private static async Task<T> BodyAsync<T>(HttpContext http, CancellationToken ct) where T : class
    {
        try
        {
            return await JsonSerializer.DeserializeAsync<T>(http.Request.Body, WorkerProtocol.Json, ct)
                ?? throw ApiException.BadRequest("body", $"the body must be a {typeof(T).Name} in JSON, not null");
        }
        catch (JsonException e)
        {
            throw ApiException.BadRequest(e.Path ?? "body", $"the body is not a {typeof(T).Name}: {e.Message}");
        }
    }

    private static IResult Json<T>(T value) => Results.Json(value, WorkerProtocol.Json);

    private static int HeartbeatSeconds(ServerOptions options) => Math.Max(1, (int)(options.WorkerTimeout.TotalSeconds / 3));

    private static async Task<IResult> RegisterAsync(HttpContext http, IStore store, RequestActor actor, ServerOptions options, CancellationToken ct)
    {
        var registration = await BodyAsync<WorkerRegistration>(http, ct);
        var tags = registration.Tags ?? [];
        for (var i = 0; i < tags.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(tags[i]) || tags[i].Any(char.IsControl) || tags[i].Trim() != tags[i])
                throw ApiException.BadRequest($"tags[{i}]", $"tag '{tags[i]}' is empty or has spaces or control characters around or in it");
        }
        if (registration.Capacity < 1)
            throw ApiException.BadRequest("capacity", $"capacity {registration.Capacity}: a worker runs at least 1 build at once");
        if (string.IsNullOrWhiteSpace(registration.Runtime))
            throw ApiException.BadRequest("runtime", "runtime is missing (process or container)");
        var name = Me(actor);
        await store.RegisterWorkerAsync(name, new WorkerInfo(tags, registration.Runtime, registration.Capacity, registration.Version ?? ""),
            registration.Running ?? [], ct);
        return Json(new WorkerRegistered(name, HeartbeatSeconds(options)));
    }

    private static async Task<IResult> HeartbeatAsync(HttpContext http, IStore store, RequestActor actor, CancellationToken ct)
    {
        var beat = await BodyAsync<WorkerHeartbeat>(http, ct);
        var name = Me(actor);
        var reply = await store.HeartbeatWorkerAsync(name, beat.Running ?? [], ct)
            ?? throw ApiException.NotFound($"worker {name} is not registered as running (the servers took it for lost): register again");
        return Json(new WorkerHeartbeatReply(reply.Abort, reply.Drop));
    }

    private static async Task<IResult> ClaimAsync(IStore store, RequestActor actor, BuildHandoff handoff, ILogger<BuildHandoff> logger, CancellationToken ct)
    {
        var name = Me(actor);
        var worker = await store.GetWorkerAsync(name, ct);
        if (worker is not { State: WorkerState.Running })
            throw ApiException.NotFound($"worker {name} is not registered as running{(worker is null ? "" : " (the servers took it for lost)")}: register again");
        if (worker.Running.Count >= worker.Capacity)
            return Results.NoContent();
        var build = await store.ClaimNextBuildAsync(new BuildClaimer(name, worker.Tags, Remote: true), ct);
        if (build is null)
            return Results.NoContent();
        try
        {
            var context = await handoff.ContextAsync(build, CancellationToken.None);
            logger.LogInformation("worker {Worker} claimed {Build}", name, build.Title);
            return Json(new WorkerAssignment(build.Id, build.Title, build.PlanJson, context.ResourceTypes, [.. context.Secrets],
                context.TaskEnvironment, context.Metadata));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Claimed but impossible to hand over: the build errors here with why, as it would on the embedded worker.
            var reason = await handoff.RedactAsync(build, e.Message);
            await store.AppendEventsAsync(build.Id, [
                new BuildEvent(build.Id, 0, DateTimeOffset.UtcNow, BuildEventType.Error, Text: reason),
                new BuildEvent(build.Id, 0, DateTimeOffset.UtcNow, BuildEventType.Status, Text: "errored"),
            ], CancellationToken.None);
            await handoff.FinishAsync(build.Id, BuildStatus.Errored, reason);
            handoff.Wake();
            return Results.NoContent();
        }
    }

    private static async Task<IResult> EventsAsync(HttpContext http, long id, IStore store, RequestActor actor, CancellationToken ct)
    {
        var batch = await BodyAsync<WorkerEvents>(http, ct);
        if (batch.From < 0)
            throw ApiException.BadRequest("from", $"from {batch.From} is below 0");
        var name = Me(actor);
        var events = (batch.Events ?? []).Select(e => e with { BuildId = id, Seq = 0 }).ToList();
        long? stored;
        try
        {
            stored = await store.AppendWorkerEventsAsync(id, name, batch.From, events, ct);
        }
        catch (StoreException e) when (e.Message.Contains("sent events from", StringComparison.Ordinal))
        {
            throw ApiException.BadRequest("from", e.Message);
        }
        return stored is { } count
            ? Json(new WorkerEventsReply(count))
            : throw ApiException.Conflict($"build {id} is not a started build of worker {name} (it ended, was aborted, or never was this worker's): stop it");
    }

    private static async Task<IResult> EndAsync(HttpContext http, long id, IStore store, RequestActor actor, BuildHandoff handoff, ILogger<BuildHandoff> logger,
        CancellationToken ct)
    {
        var end = await BodyAsync<WorkerBuildEnd>(http, ct);
        if (!end.Status.IsFinal())
            throw ApiException.BadRequest("status", $"status {end.Status.ToString().ToLowerInvariant()} is not a final status (succeeded, failed, errored or aborted)");
        var name = Me(actor);
        var stored = await store.GetWorkerEventCountAsync(id, name, ct)
            ?? throw ApiException.Conflict($"build {id} was never claimed by worker {name}");
        var build = await store.BuildAsync(id, ct);
        if (build.Status.IsFinal())
            return Results.NoContent();
        if (end.EventCount > stored)
            throw ApiException.Conflict($"build {id}: the server has {stored} of the worker's {end.EventCount} events; send the rest first (from {stored})");
        var reason = end.Status switch
        {
            BuildStatus.Errored => await handoff.RedactAsync(build, end.Reason ?? "the build errored on worker " + name),
            BuildStatus.Aborted => build.Reason ?? end.Reason ?? "aborted",
            _ => null,
        };
        try
        {
            await handoff.RecordPutsAsync(build, end.Puts ?? []);
            await handoff.FinishAsync(id, end.Status, reason);
            logger.LogInformation("{Build} {Status} on worker {Worker}", build.Title, end.Status.ToString().ToLowerInvariant(), name);
        }
        catch (InvalidOperationException)
        {
            // Ended meanwhile (the same end sent twice at once, or the sweep): recorded once, as the protocol wants.
            if (!(await store.BuildAsync(id, CancellationToken.None)).Status.IsFinal())
                throw;
        }
        finally
        {
            handoff.Wake();
        }
        return Results.NoContent();
    }

    private static async Task<IResult> SetPipelineAsync(HttpContext http, long id, IStore store, RequestActor actor, IBuildPipelineSetters setters, CancellationToken ct)
    {
        var request = await BodyAsync<WorkerSetPipeline>(http, ct);
        var name = Me(actor);
        var build = await store.BuildAsync(id, ct);
        if (build.Status != BuildStatus.Started || await store.GetWorkerEventCountAsync(id, name, ct) is null)
            throw ApiException.Conflict($"build {id} is not a started build of worker {name}");
        SetPipelinePlan plan;
        try
        {
            plan = JsonSerializer.Deserialize<PlanNode>(request.Plan ?? "", PlanJson.Options) as SetPipelinePlan
                ?? throw ApiException.BadRequest("plan", "plan is not a set_pipeline step's plan");
        }
        catch (JsonException e)
        {
            throw ApiException.BadRequest("plan", $"plan is not a set_pipeline step's plan: {e.Message}");
        }
        var directory = Directory.CreateTempSubdirectory("ferry-set-pipeline-");
        try
        {
            var config = Path.Combine(directory.FullName, Path.GetFileName(plan.File) is { Length: > 0 } file ? file : "pipeline.yml");
            await File.WriteAllTextAsync(config, request.Config ?? "", ct);
            var varFiles = new List<string>();
            foreach (var (text, i) in (request.VarFiles ?? []).Select((t, i) => (t, i)))
            {
                var path = Path.Combine(directory.FullName, $"var-file-{i}.yml");
                await File.WriteAllTextAsync(path, text, ct);
                varFiles.Add(path);
            }
            var lines = await setters.For(build).SetAsync(plan, config, varFiles, ct);
            return Json(new WorkerSetPipelineReply(lines));
        }
        catch (Exception e) when (e is not OperationCanceledException and not ApiException)
        {
            throw new ApiException(StatusCodes.Status422UnprocessableEntity, e.Message);
        }
        finally
        {
            try
            {
                directory.Delete(recursive: true);
            }
            catch (IOException)
            {
                // A temporary directory; the system cleans it.
            }
        }
    }
}
