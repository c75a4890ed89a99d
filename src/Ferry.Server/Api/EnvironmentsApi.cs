using Ferry.Engine.Promoting;
using Ferry.Server.Auth;

namespace Ferry.Server.Api;

/// <summary>Environments: the matrix, one environment, why it has not the newest release, preview, promote, rollback, hold, variables.</summary>
internal static class EnvironmentsApi
{
    public static void Map(RouteGroupBuilder api)
    {
        var environments = api.MapGroup("/pipelines/{pipeline}/environments").WithTags("Environments");
        environments.MapGet("/", (Promotions p, string pipeline, CancellationToken ct) => p.ListEnvironmentsAsync(pipeline, ct))
            .WithName("ListEnvironments").WithSummary("Each environment with its current release, status, hold and newest eligible release, upstream first.");
        environments.MapGet("/{environment}", (Promotions p, string pipeline, string environment, CancellationToken ct) =>
            p.GetEnvironmentAsync(pipeline, environment, ct)).WithName("GetEnvironment");
        environments.MapGet("/{environment}/explain", (Promotions p, string pipeline, string environment, CancellationToken ct) =>
            p.ExplainAsync(pipeline, environment, ct)).WithName("ExplainEnvironment")
            .WithSummary("Why the environment has not received the newest release, or that it is receiving it now.");
        environments.MapGet("/{environment}/preview", (Promotions p, RequestActor actor, string pipeline, string environment, string? release, CancellationToken ct) =>
            p.PreviewAsync(pipeline, environment, release, actor.Actor, ct)).WithName("PreviewPromotion")
            .WithSummary("What promoting the release (default: the newest eligible) would change: versions, commits, keys without value, refusal.");
        environments.MapPost("/{environment}/promotions", PromoteAsync).WithName("Promote")
            .WithOptionalBody<PromoteRequest>("{\"release\": \"r3\", \"dryRun\": true}")
            .WithSummary("Promotes a release (default: the newest eligible); with dryRun, answers the preview only; force overwrites a drifted instance.");
        environments.MapPost("/{environment}/rollback", RollbackAsync).WithName("Rollback")
            .WithSummary("Promotes an older release verified in the environment, and holds the environment there.");
        environments.MapPut("/{environment}/hold", async (Promotions p, RequestActor actor, HttpContext http, string pipeline, string environment, CancellationToken ct) =>
            await p.HoldAsync(pipeline, environment, (await OptionalBody.ReadAsync<HoldRequest>(http, ct))?.Reason, actor.Actor, ct)).WithName("HoldEnvironment")
            .WithOptionalBody<HoldRequest>("{\"reason\": \"database migration\"}")
            .WithSummary("Keeps automatic promotion away from the environment until the hold is lifted or someone promotes by hand.");
        environments.MapDelete("/{environment}/hold", (Promotions p, RequestActor actor, string pipeline, string environment, CancellationToken ct) =>
            p.LiftHoldAsync(pipeline, environment, actor.Actor, ct)).WithName("LiftHold");
        environments.MapGet("/{environment}/variables", (Promotions p, string pipeline, string environment, CancellationToken ct) =>
            p.ListVariablesAsync(pipeline, environment, ct)).WithName("ListVariables")
            .WithSummary("Keys declared in the file or set here, with plain values; a secret's value is never returned.");
        environments.MapPut("/{environment}/variables/{name}", SetVariableAsync).WithName("SetVariable");
        environments.MapDelete("/{environment}/variables/{name}", DeleteVariableAsync).WithName("DeleteVariable");
    }

    private static async Task<IResult> PromoteAsync(Promotions promotions, RequestActor actor, HttpContext http, string pipeline, string environment,
        CancellationToken ct)
    {
        var body = await OptionalBody.ReadAsync<PromoteRequest>(http, ct);
        if (body?.DryRun == true)
            return Results.Ok(await promotions.PreviewAsync(pipeline, environment, body.Release, actor.Actor, ct));
        var created = await promotions.PromoteAsync(pipeline, environment, body?.Release, actor.Actor, ct, body?.Force == true);
        return Results.Created($"/api/v1/pipelines/{pipeline}/promotions/{created.Id}", created);
    }

    private static async Task<IResult> RollbackAsync(Promotions promotions, RequestActor actor, string pipeline, string environment, RollbackRequest body,
        CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(body.To))
            throw ApiException.BadRequest("to", "say which release to roll back to: {\"to\": \"r3\"}");
        var created = await promotions.RollbackAsync(pipeline, environment, body.To, actor.Actor, ct, body.Force);
        return Results.Created($"/api/v1/pipelines/{pipeline}/promotions/{created.Id}", created);
    }

    private static async Task<IResult> SetVariableAsync(Promotions promotions, RequestActor actor, string pipeline, string environment, string name,
        VariableRequest body, CancellationToken ct)
    {
        await promotions.SetVariableAsync(pipeline, environment, name, body.Value, body.Secret, actor.Actor, ct);
        return Results.NoContent();
    }

    private static async Task<IResult> DeleteVariableAsync(Promotions promotions, RequestActor actor, string pipeline, string environment, string name,
        CancellationToken ct) =>
        await promotions.DeleteVariableAsync(pipeline, environment, name, actor.Actor, ct)
            ? Results.NoContent()
            : throw ApiException.NotFound($"variable '{name}' is not set in environment '{environment}'");
}

/// <param name="Force">Overwrite hand edits in the environment's instance (drift); audited.</param>
internal sealed record PromoteRequest(string? Release, bool DryRun = false, bool Force = false);

internal sealed record RollbackRequest(string? To, bool Force = false);

internal sealed record HoldRequest(string? Reason);

internal sealed record VariableRequest(string? Value, bool Secret = false);
