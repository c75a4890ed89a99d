using Ferry.Engine.Pushing;
using Ferry.Server.Auth;

namespace Ferry.Server.Api;

/// <summary>
/// The push from a stage to the next one (FlowFuse's play button): what it offers, and the push itself, with a
/// snapshot of the source taken now, its latest one, or an earlier release.
/// </summary>
internal static class PushApi
{
    public static void Map(RouteGroupBuilder api)
    {
        var environments = api.MapGroup("/pipelines/{pipeline}/environments").WithTags("Environments");
        environments.MapGet("/{environment}/push", (Pushes pushes, string pipeline, string environment, CancellationToken ct) =>
                pushes.OptionsAsync(pipeline, environment, ct)).WithName("PushOptions")
            .WithSummary("What a push into the environment from the stage before it offers: a snapshot now (and what that means there), the latest, earlier ones.");
        environments.MapPost("/{environment}/push", PushAsync).WithName("Push")
            .WithOptionalBody<PushRequest>("{\"snapshot\": \"now\", \"dryRun\": true, \"force\": false}")
            .WithSummary("Pushes into the environment the source stage's snapshot (now, latest or a release such as r3; default now) as a promotion; " +
                         "with dryRun, answers the preview only (a snapshot now is still taken: its release is what the preview shows); " +
                         "force overwrites hand edits in a drifted target (audited), which is otherwise refused.");
    }

    private static async Task<IResult> PushAsync(Pushes pushes, RequestActor actor, HttpContext http, string pipeline, string environment, CancellationToken ct)
    {
        var body = await OptionalBody.ReadAsync<PushRequest>(http, ct);
        var snapshot = PushSnapshot.Parse(body?.Snapshot);
        if (body?.DryRun == true)
            return Results.Ok(await pushes.PreviewAsync(pipeline, environment, snapshot, actor.Actor, ct));
        var pushed = await pushes.PushAsync(pipeline, environment, snapshot, actor.Actor, ct, body?.Force == true);
        return Results.Created($"/api/v1/pipelines/{pipeline}/promotions/{pushed.Promotion!.Id}", pushed);
    }
}

internal sealed record PushRequest(string? Snapshot, bool DryRun = false, bool Force = false);
