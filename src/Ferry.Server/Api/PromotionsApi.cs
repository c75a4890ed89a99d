using Ferry.Engine.Promoting;
using Ferry.Server.Auth;

namespace Ferry.Server.Api;

/// <summary>Promotions: list, get, approve, reject; releases: list, get, disable, enable; the audit log.</summary>
internal static class PromotionsApi
{
    public static void Map(RouteGroupBuilder api)
    {
        var pipeline = api.MapGroup("/pipelines/{pipeline}");
        var promotions = pipeline.MapGroup("/promotions").WithTags("Promotions");
        promotions.MapGet("/", (Promotions p, string pipeline, string? environment, int? limit, CancellationToken ct) =>
            p.ListPromotionsAsync(pipeline, environment, limit ?? 100, ct)).WithName("ListPromotions");
        promotions.MapGet("/{id:long}", (Promotions p, string pipeline, long id, CancellationToken ct) => p.GetPromotionAsync(pipeline, id, ct))
            .WithName("GetPromotion");
        promotions.MapPost("/{id:long}/approve", async (Promotions p, RequestActor actor, HttpContext http, string pipeline, long id, CancellationToken ct) =>
            await p.DecideAsync(pipeline, id, true, (await OptionalBody.ReadAsync<DecisionRequest>(http, ct))?.Comment, actor.Actor, ct)).WithName("ApprovePromotion")
            .WithOptionalBody<DecisionRequest>("{\"comment\": \"looks good\"}")
            .WithSummary("A yes from the caller; the promotion goes on once enough distinct approvers said yes.");
        promotions.MapPost("/{id:long}/reject", async (Promotions p, RequestActor actor, HttpContext http, string pipeline, long id, CancellationToken ct) =>
            await p.DecideAsync(pipeline, id, false, (await OptionalBody.ReadAsync<DecisionRequest>(http, ct))?.Comment, actor.Actor, ct)).WithName("RejectPromotion")
            .WithOptionalBody<DecisionRequest>("{\"comment\": \"not on a Friday\"}")
            .WithSummary("One rejection ends the promotion.");

        var releases = pipeline.MapGroup("/releases").WithTags("Releases");
        releases.MapGet("/", (Promotions p, string pipeline, int? limit, CancellationToken ct) => p.ListReleasesAsync(pipeline, limit ?? 100, ct))
            .WithName("ListReleases").WithSummary("Releases newest first, with the environments each is verified in.");
        releases.MapGet("/{release}", (Promotions p, string pipeline, string release, CancellationToken ct) => p.GetReleaseAsync(pipeline, release, ct))
            .WithName("GetRelease");
        releases.MapPut("/{release}/disable", (Promotions p, RequestActor actor, string pipeline, string release, CancellationToken ct) =>
            p.SetReleaseDisabledAsync(pipeline, release, true, actor.Actor, ct)).WithName("DisableRelease");
        releases.MapPut("/{release}/enable", (Promotions p, RequestActor actor, string pipeline, string release, CancellationToken ct) =>
            p.SetReleaseDisabledAsync(pipeline, release, false, actor.Actor, ct)).WithName("EnableRelease");

        pipeline.MapGet("/audit", (Promotions p, string pipeline, int? limit, CancellationToken ct) => p.AuditAsync(pipeline, limit ?? 200, ct))
            .WithTags("Audit").WithName("ListAudit")
            .WithSummary("Every promotion, approval, rejection, rollback, hold and variable change, with who and when; newest first.");
    }
}

internal sealed record DecisionRequest(string? Comment);
