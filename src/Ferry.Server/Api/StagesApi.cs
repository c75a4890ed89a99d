using Ferry.Server.Auth;
using Ferry.Server.Pipelines;

namespace Ferry.Server.Api;

/// <summary>
/// Stages (a pipeline's environments as a chain): list, add (by a running instance's URL), move and remove. Each edit
/// writes a new config version as <c>PUT /pipelines/{p}/config</c> does and answers it with its diff; with
/// <c>?dryRun=true</c> it is checked (the instance asked too) and its diff given, and nothing is stored.
/// </summary>
internal static class StagesApi
{
    public static void Map(RouteGroupBuilder api)
    {
        var stages = api.MapGroup("/pipelines/{pipeline}/stages").WithTags("Stages");
        stages.MapGet("/", (StageChanges s, string pipeline, CancellationToken ct) => s.ListAsync(pipeline, ct))
            .WithName("ListStages").WithSummary("The pipeline's stages in the order of its file, each with what it comes from and its instance's URL.");
        stages.MapPost("/", async (StageChanges s, Access access, string pipeline, AddStageRequest body, bool? dryRun, CancellationToken ct) =>
            dryRun == true
                ? Results.Ok(await s.AddAsync(access, pipeline, body, true, ct))
                : Results.Created($"/api/v1/pipelines/{pipeline}/stages", await s.AddAsync(access, pipeline, body, false, ct)))
            .WithName("AddStage")
            .WithSummary("Binds a new stage to a running Node-RED instance (its Admin API is asked first) and writes a new config version.");
        stages.MapPut("/{stage}/position", (StageChanges s, Access access, string pipeline, string stage, MoveStageRequest body, bool? dryRun, CancellationToken ct) =>
            s.MoveAsync(access, pipeline, stage, body, dryRun == true, ct))
            .WithName("MoveStage").WithSummary("Moves a stage right after or before another, rewriting the from: links; writes a new config version.");
        stages.MapDelete("/{stage}", (StageChanges s, Access access, string pipeline, string stage, bool? dryRun, CancellationToken ct) =>
            s.RemoveAsync(access, pipeline, stage, dryRun == true, ct))
            .WithName("RemoveStage").WithSummary("Removes a stage (what came from it now comes from what it came from); writes a new config version.");
    }
}
