using Ferry.Server.Auth;
using Ferry.Storage;

namespace Ferry.Server.Api;

/// <summary>Who am I, the users, and their API tokens. Owners manage users; anyone signed in may make tokens for themselves.</summary>
internal static class UsersApi
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/whoami", (RequestActor who) => new WhoAmI(who.Actor.Name, [.. who.Actor.Teams.Order(StringComparer.Ordinal)], who.Actor.IsOwner))
            .WithTags("Users").WithName("WhoAmI").WithSummary("The user the request's token belongs to, or 'anonymous' without one.");
        var users = api.MapGroup("/users").WithTags("Users");
        users.MapGet("/", ListAsync).WithName("ListUsers");
        users.MapPost("/", SaveAsync).WithName("SaveUser")
            .WithSummary("Creates or updates a user (owners only); teams replaces the user's teams.");
        users.MapPost("/{name}/tokens", CreateTokenAsync).WithName("CreateApiToken")
            .WithSummary("A new API token for the user (owners, or the user themselves); the token is shown only in this answer.")
            .WithOptionalBody<CreateTokenRequest>("{\"label\": \"laptop\"}");
    }

    private static async Task<IReadOnlyList<UserView>> ListAsync(IStore store, CancellationToken ct) =>
        [.. (await store.ListUsersAsync(ct)).Select(UserView.From)];

    private static async Task<IResult> SaveAsync(IStore store, RequestActor who, SaveUserRequest request, CancellationToken ct)
    {
        if (!who.Actor.IsOwner)
        {
            throw ApiException.Forbidden($"saving user '{request.Name}': only an owner may create or change users (you are '{who.Actor.Name}')");
        }
        var name = CheckName(request.Name, "name", team: false);
        var teams = (request.Teams ?? []).Select((t, i) => CheckName(t, $"teams[{i}]", team: true)).ToList();
        var user = await store.UpsertUserAsync(name, request.Owner, teams, ct);
        return Results.Created($"/api/v1/users/{Uri.EscapeDataString(user.Name)}", UserView.From(user));
    }

    private static async Task<IResult> CreateTokenAsync(IStore store, RequestActor who, HttpContext http, string name, CancellationToken ct)
    {
        if (!who.Actor.IsOwner && !(who.IsAuthenticated && who.Actor.Name == name))
        {
            throw ApiException.Forbidden($"creating a token for '{name}': only an owner or '{name}' themselves may (you are '{who.Actor.Name}')");
        }
        if (await store.GetUserAsync(name, ct) is null)
        {
            throw ApiException.NotFound($"user '{name}' not found");
        }
        var request = await OptionalBody.ReadAsync<CreateTokenRequest>(http, ct);
        var token = await store.CreateApiTokenAsync(name, string.IsNullOrWhiteSpace(request?.Label) ? null : request.Label.Trim(), ct);
        return Results.Created((string?)null, new TokenView(token.Id, token.User, token.Token));
    }

    private static string CheckName(string? value, string field, bool team)
    {
        var name = value?.Trim() ?? "";
        return UserNames.Problem(name, team) is { } problem ? throw ApiException.BadRequest(field, problem) : name;
    }
}

public sealed record WhoAmI(string Name, IReadOnlyList<string> Teams, bool Owner);

public sealed record UserView(string Name, bool Owner, IReadOnlyList<string> Teams, DateTime CreatedAt)
{
    internal static UserView From(UserRecord user) => new(user.Name, user.Owner, user.Teams, user.CreatedAt.UtcDateTime);
}

public sealed record SaveUserRequest(string Name, bool Owner = false, IReadOnlyList<string>? Teams = null);

public sealed record CreateTokenRequest(string? Label = null);

public sealed record TokenView(long Id, string User, string Token);
