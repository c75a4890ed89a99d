using Ferry.Engine.Instances;
using Ferry.Server.Auth;

namespace Ferry.Server.Api;

/// <summary>An environment's instance snapshots: list, take one now, diff two, roll back to one; and its drift.</summary>
internal static class SnapshotsApi
{
    public static void Map(RouteGroupBuilder api)
    {
        var snapshots = api.MapGroup("/pipelines/{pipeline}/environments/{environment}").WithTags("Snapshots");
        snapshots.MapGet("/snapshots", (InstanceSnapshots s, string pipeline, string environment, CancellationToken ct) => s.ListAsync(pipeline, environment, ct))
            .WithName("ListSnapshots")
            .WithSummary("The instance's snapshots, newest first, with who or what made them: what Ferry deployed there, drift it saw, snapshots taken; for the source instance its resource's versions.");
        snapshots.MapPost("/snapshots", async (InstanceSnapshots s, RequestActor actor, string pipeline, string environment, CancellationToken ct) =>
                Results.Ok(await s.TakeAsync(pipeline, environment, actor.Actor, ct)))
            .WithName("TakeSnapshot").WithSummary("A snapshot of the instance now (for the source instance: a check of its resource), made by the caller.");
        snapshots.MapGet("/snapshots/diff", (InstanceSnapshots s, string pipeline, string environment, string? from, string? to, CancellationToken ct) =>
                s.DiffAsync(pipeline, environment,
                    string.IsNullOrWhiteSpace(from) ? throw ApiException.BadRequest("from", "say which snapshot to diff from: ?from=3f2a9c&to=live") : from,
                    string.IsNullOrWhiteSpace(to) ? InstanceSnapshots.Live : to, ct))
            .WithName("DiffSnapshots")
            .WithSummary("What changed from one snapshot to another (a hash or its first digits; 'live' reads the instance now), by tab and node.");
        snapshots.MapPost("/snapshots/{snapshot}/rollback", RollbackAsync).WithName("RollbackToSnapshot")
            .WithOptionalBody<ForceRequest>("{\"force\": true}")
            .WithSummary("Rolls the instance back to a snapshot Ferry deployed there: a rollback promotion of its release, audited; the environment is held.");
        snapshots.MapGet("/drift", async (InstanceSnapshots s, string pipeline, string environment, CancellationToken ct) =>
                await s.DriftAsync(pipeline, environment, ct) is { } drift
                    ? Results.Ok(drift)
                    : Results.NoContent())
            .WithName("GetDrift").WithSummary("How the instance differs from the snapshot Ferry deployed there last (204 when it does not).");
    }

    private static async Task<IResult> RollbackAsync(InstanceSnapshots snapshots, RequestActor actor, HttpContext http, string pipeline, string environment,
        string snapshot, CancellationToken ct)
    {
        var body = await OptionalBody.ReadAsync<ForceRequest>(http, ct);
        var created = await snapshots.RollbackAsync(pipeline, environment, snapshot, actor.Actor, body?.Force == true, ct);
        return Results.Created($"/api/v1/pipelines/{pipeline}/promotions/{created.Id}", created);
    }
}

internal sealed record ForceRequest(bool Force = false);
