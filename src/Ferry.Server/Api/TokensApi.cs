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

public sealed record TokenView(long Id, string User, string Token);

public sealed record TokenInfo(long Id, string User, string? Label, DateTime CreatedAt, DateTime? LastUsedAt)
{
    internal static TokenInfo From(ApiTokenRecord token) => new(token.Id, token.User, token.Label, token.CreatedAt.UtcDateTime, token.LastUsedAt?.UtcDateTime);
}
