using Ferry.Server.Auth;
using Ferry.Storage;

namespace Ferry.Server.Api;

/// <summary>API tokens: make one, list them (never the secret), revoke one; a revoked token is unknown to the very next request.</summary>
internal static class TokensApi
{
    public static void Map(RouteGroupBuilder api, RouteGroupBuilder users)
    {
        users.MapPost("/{name}/tokens", CreateAsync).WithName("CreateApiToken")
            .WithSummary("A new API token for the user (owners, or the user themselves); the token is shown only in this answer.")
            .WithOptionalBody<CreateTokenRequest>("{\"label\": \"laptop\"}");
        var tokens = api.MapGroup("/tokens").WithTags("Users");
        tokens.MapGet("/", async (UserAdmin admin, string? user, CancellationToken ct) => (await admin.ListTokensAsync(user, ct)).Select(TokenInfo.From).ToList())
            .WithName("ListApiTokens")
            .WithSummary("Your tokens; an owner's list is everyone's (or one user's with ?user=). Ids, labels and dates, never the tokens.");
        tokens.MapPost("/workers", async (UserAdmin admin, HttpContext http, CancellationToken ct) =>
            {
                var request = await OptionalBody.ReadAsync<CreateWorkerTokenRequest>(http, ct);
                var token = await admin.CreateWorkerTokenAsync(request?.Worker, request?.Label, ct);
                return Results.Created($"/api/v1/tokens/{token.Id}", new TokenView(token.Id, token.User, token.Token, token.Worker));
            })
            .WithName("CreateWorkerToken")
            .WithSummary("A new worker token for a remote worker (global owners only): it authenticates only the worker routes, as that worker; shown only in this answer.")
            .WithOptionalBody<CreateWorkerTokenRequest>("{\"worker\": \"w1\"}");
        tokens.MapDelete("/{id:long}", async (UserAdmin admin, long id, CancellationToken ct) =>
            {
                await admin.RevokeTokenAsync(id, ct);
                return Results.NoContent();
            })
            .WithName("RevokeApiToken").WithSummary("Revokes a token (owners any, users their own): from the next request on it gets 401.");
    }

    private static async Task<IResult> CreateAsync(UserAdmin admin, HttpContext http, string name, CancellationToken ct)
    {
        var request = await OptionalBody.ReadAsync<CreateTokenRequest>(http, ct);
        var token = await admin.CreateTokenAsync(name, request?.Label, ct);
        return Results.Created($"/api/v1/tokens/{token.Id}", new TokenView(token.Id, token.User, token.Token));
    }
}

public sealed record CreateTokenRequest(string? Label = null);

/// <param name="Worker">The remote worker the token is for (its name, as every worker call gives it).</param>
public sealed record CreateWorkerTokenRequest(string? Worker = null, string? Label = null);

/// <param name="User">The user it signs in; empty for a worker token.</param>
/// <param name="Worker">The worker a worker token names; null for a user's token.</param>
public sealed record TokenView(long Id, string User, string Token, string? Worker = null);

/// <param name="Kind"><c>user</c> (signs a user in) or <c>worker</c> (authenticates a remote worker on the worker routes only).</param>
/// <param name="CreatedBy">Who made a worker token.</param>
public sealed record TokenInfo(long Id, string User, string? Label, DateTime CreatedAt, DateTime? LastUsedAt, string Kind = "user", string? Worker = null, string? CreatedBy = null)
{
    internal static TokenInfo From(ApiTokenRecord token) =>
        new(token.Id, token.User, token.Label, token.CreatedAt.UtcDateTime, token.LastUsedAt?.UtcDateTime, token.Kind, token.Worker, token.CreatedBy);
}
