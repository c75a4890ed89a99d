using Ferry.Server.Auth;
using Ferry.Storage;

namespace Ferry.Server.Api;

/// <summary>Who am I, the users and their roles in teams (who may change what: <see cref="UserAdmin"/>). Tokens are in <see cref="TokensApi"/>.</summary>
internal static class UsersApi
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/whoami", (RequestActor who) => WhoAmI.Of(who))
            .WithTags("Users").WithName("WhoAmI").WithSummary("The signed-in user: name, global owner or not, role per team.");
        var users = api.MapGroup("/users").WithTags("Users");
        users.MapGet("/", async (UserAdmin admin, CancellationToken ct) => (await admin.ListUsersAsync(ct)).Select(UserView.From).ToList())
            .WithName("ListUsers").WithSummary("The users with their roles (needs a role in some team); never their tokens.");
        users.MapPost("/", SaveAsync).WithName("SaveUser")
            .WithSummary("Creates or updates a user (owners only); teams (\"ops\" or \"ops:viewer\") replaces the user's teams and roles.");
        users.MapDelete("/{name}", async (UserAdmin admin, string name, CancellationToken ct) =>
            {
                await admin.RemoveUserAsync(name, ct);
                return Results.NoContent();
            })
            .WithName("RemoveUser").WithSummary("Removes a user with their tokens (owners only): their tokens get 401 from the next request on.");
        users.MapPut("/{name}/teams/{team}", SetRoleAsync).WithName("SetTeamRole")
            .WithOptionalBody<SetRoleRequest>("{\"role\": \"operator\"}")
            .WithSummary("Gives the user a role in the team, member unless the body says (owners, and the team's owners).");
        users.MapDelete("/{name}/teams/{team}", async (UserAdmin admin, string name, string team, CancellationToken ct) =>
                UserView.From(await admin.SetRoleAsync(name, team, null, ct)))
            .WithName("RemoveTeamRole").WithSummary("Takes the user out of the team (owners, and the team's owners).");
        TokensApi.Map(api, users);
    }

    private static async Task<IResult> SaveAsync(UserAdmin admin, SaveUserRequest request, CancellationToken ct)
    {
        var user = await admin.SaveUserAsync(request.Name, request.Owner, request.Teams ?? [], ct);
        return Results.Created($"/api/v1/users/{Uri.EscapeDataString(user.Name)}", UserView.From(user));
    }

    private static async Task<UserView> SetRoleAsync(UserAdmin admin, HttpContext http, string name, string team, CancellationToken ct)
    {
        var body = await OptionalBody.ReadAsync<SetRoleRequest>(http, ct);
        var role = TeamRole.Member;
        if (body?.Role is { } text && !TeamRoles.TryParse(text, out role))
        {
            throw ApiException.BadRequest("role", $"'{text}' is not a role: one of {TeamRoles.Names}");
        }
        return UserView.From(await admin.SetRoleAsync(name, team, role, ct));
    }
}

public sealed record WhoAmI(string Name, IReadOnlyList<string> Teams, bool Owner, IReadOnlyList<TeamMembership> Roles)
{
    internal static WhoAmI Of(RequestActor who) =>
        new(who.Name, [.. (who.User?.Teams ?? []).Order(StringComparer.Ordinal)], who.IsOwner, who.User?.Memberships ?? []);
}

/// <param name="Owner">A global owner: everything, in every team, and users and tokens.</param>
/// <param name="Roles">The user's role in each of their teams.</param>
public sealed record UserView(string Name, bool Owner, IReadOnlyList<string> Teams, IReadOnlyList<TeamMembership> Roles, DateTime CreatedAt)
{
    internal static UserView From(UserRecord user) => new(user.Name, user.Owner, user.Teams, user.Memberships, user.CreatedAt.UtcDateTime);
}

/// <param name="Teams">Each <c>TEAM</c> (a member) or <c>TEAM:ROLE</c>, ROLE one of owner, member, operator, viewer.</param>
public sealed record SaveUserRequest(string Name, bool Owner = false, IReadOnlyList<string>? Teams = null);

/// <param name="Role">owner, member (the default), operator or viewer.</param>
public sealed record SetRoleRequest(string? Role = null);
