using System.Security.Cryptography;
using System.Text;
using Ferry.Engine.Loops;
using Ferry.Storage;

namespace Ferry.Server.Api;

/// <summary>Resources: list with check status, check now, the check webhook, pin and unpin.</summary>
internal static class ResourcesApi
{
    public static void Map(RouteGroupBuilder api)
    {
        var resources = api.MapGroup("/pipelines/{pipeline}/resources").WithTags("Resources");
        resources.MapGet("/", ListAsync).WithName("ListResources");
        resources.MapGet("/{resource}", GetAsync).WithName("GetResource");
        resources.MapPost("/{resource}/check", CheckAsync).WithName("CheckResource")
            .WithSummary("Asks the checker to check the resource now.");
        // The webhook_token is the credential here: a code host cannot sign in.
        resources.MapPost("/{resource}/check/webhook", WebhookAsync).WithName("CheckResourceWebhook").AllowAnonymous()
            .WithSummary("Starts a check at once when webhook_token matches the resource's; 401 and nothing else otherwise.");
        resources.MapPut("/{resource}/pin", PinAsync).WithName("PinResource");
        resources.MapPut("/{resource}/unpin", UnpinAsync).WithName("UnpinResource");
        VersionsApi.Map(resources);
    }

    private static async Task<IReadOnlyList<ResourceSummary>> ListAsync(IStore store, string pipeline, CancellationToken ct)
    {
        var p = await store.PipelineAsync(pipeline, ct);
        var result = new List<ResourceSummary>();
        foreach (var r in await store.ListResourcesAsync(p.Id, false, ct))
        {
            result.Add(await SummaryAsync(store, p, r, ct));
        }
        return result;
    }

    private static async Task<ResourceSummary> GetAsync(IStore store, string pipeline, string resource, CancellationToken ct)
    {
        var (p, r) = await store.ResourceAsync(pipeline, resource, ct);
        return await SummaryAsync(store, p, r, ct);
    }

    internal static async Task<ResourceSummary> SummaryAsync(IStore store, PipelineRecord p, ResourceRecord r, CancellationToken ct) =>
        ResourceSummary.From(p, r, r.PinnedVersionId is { } id ? await store.GetVersionAsync(id, ct) : null);

    private static async Task<IResult> CheckAsync(IStore store, LoopWaker waker, TimeProvider clock, string pipeline, string resource, CancellationToken ct)
    {
        var (_, r) = await store.ResourceAsync(pipeline, resource, ct);
        return await RequestCheckAsync(store, waker, clock, pipeline, r, ct);
    }

    private static async Task<IResult> WebhookAsync(
        IStore store, LoopWaker waker, TimeProvider clock, string pipeline, string resource,
        [Microsoft.AspNetCore.Mvc.FromQuery(Name = "webhook_token")] string? webhookToken, CancellationToken ct)
    {
        var p = await store.GetPipelineAsync(pipeline, ct);
        var r = p is null ? null : await store.GetResourceAsync(p.Id, resource, ct);
        // The same answer for a missing resource and a wrong token, so the webhook tells a stranger nothing.
        if (r is not { Active: true } || string.IsNullOrEmpty(r.WebhookToken) || !TokensMatch(r.WebhookToken, webhookToken))
        {
            return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized",
                detail: $"webhook_token is missing or wrong for resource '{pipeline}/{resource}'",
                extensions: new Dictionary<string, object?> { ["field"] = "webhook_token" });
        }
        return await RequestCheckAsync(store, waker, clock, pipeline, r, ct);
    }

    private static bool TokensMatch(string expected, string? given) =>
        given is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(given));

    private static async Task<IResult> RequestCheckAsync(IStore store, LoopWaker waker, TimeProvider clock, string pipeline, ResourceRecord r, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await store.RequestCheckAsync(r.Id, now, ct);
        waker.Wake(LoopNames.Checker);
        return TypedResults.Accepted((string?)null, new CheckRequested(pipeline, r.Name, now.UtcDateTime));
    }

    private static async Task<ResourceSummary> PinAsync(IStore store, string pipeline, string resource, PinRequest request, CancellationToken ct)
    {
        var (p, r) = await store.ResourceAsync(pipeline, resource, ct);
        VersionRecord version;
        if (request.VersionId is { } id)
        {
            version = await store.VersionAsync(r, pipeline, id, ct);
        }
        else if (request.Version is { Count: > 0 } fields)
        {
            version = await VersionLookup.FindAsync(store, pipeline, r, fields, ct);
        }
        else
        {
            throw ApiException.BadRequest("version", "give the version to pin: {\"version\": {\"ref\": \"…\"}} or {\"versionId\": 12}");
        }
        await store.PinVersionAsync(r.Id, version.Id, request.Comment, ct);
        return await SummaryAsync(store, p, (await store.GetResourceByIdAsync(r.Id, ct))!, ct);
    }

    private static async Task<ResourceSummary> UnpinAsync(IStore store, string pipeline, string resource, CancellationToken ct)
    {
        var (p, r) = await store.ResourceAsync(pipeline, resource, ct);
        await store.PinVersionAsync(r.Id, null, null, ct);
        return await SummaryAsync(store, p, (await store.GetResourceByIdAsync(r.Id, ct))!, ct);
    }
}
