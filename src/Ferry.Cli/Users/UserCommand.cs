using System.CommandLine;
using System.Text.Json.Nodes;
using Ferry.Cli.Client;
using Ferry.Server;
using Ferry.Server.Auth;
using Ferry.Storage;

namespace Ferry.Cli.Users;

/// <summary>
/// <c>ferry user add NAME [--owner] [--team TEAM[:ROLE]]… [--label L]</c> saves a user through the API (owners only)
/// and prints a new token for them; with <c>--data DIR</c> or <c>--db URL</c> it works on the server's store directly,
/// with no server or token, to get back in when no owner's token is left. <c>user remove NAME</c> removes a user
/// with their tokens; <c>user role NAME TEAM[:ROLE] [--remove]</c> gives or takes one role (team owners may).
/// </summary>
internal static class UserCommand
{
    public static Command Create() => new("user", "Users: ferry user add | remove | role") { Add(), Remove(), Role() };

    private static Command Add()
    {
        var name = new Argument<string>("NAME") { Description = "The user's name (letters, digits, '.', '_', '-', '@')" };
        var owner = new Option<bool>("--owner") { Description = "A global owner: everything in every team, users and tokens" };
        var teams = new Option<string[]>("--team", "-t")
        {
            Description = $"TEAM or TEAM:ROLE, ROLE one of {TeamRoles.Names} (default member); repeat for several; replaces the user's teams",
        };
        var label = new Option<string?>("--label", "-l") { Description = "What the new token is for" };
        var data = new Option<string?>("--data")
        {
            Description = $"Work on the store of the server with this data directory, without a server (default with --db: FERRY_DATA, else ./{ServerOptions.DefaultDataDirectory})",
        };
        var db = new Option<string?>("--db") { Description = "Work on this PostgreSQL store directly, without a server" };
        var viaApi = ClientVerb.Create("add", "Create or update a user and print a new API token for them (owners only; --data/--db: on the store itself)", false, async call =>
        {
            var user = call.Get(name).Trim();
            var memberships = Memberships(call.Get(teams) ?? []);
            var body = new JsonObject { ["name"] = user, ["owner"] = call.Get(owner), ["teams"] = new JsonArray([.. memberships.Select(m => JsonValue.Create(m.ToString()))]) };
            var saved = await call.Client.SendAsync(HttpMethod.Post, "api/v1/users", body, call.Cancellation);
            await call.Output.WriteLineAsync($"saved user {UserVerbs.Describe(saved)}");
            var token = await call.Client.SendAsync(HttpMethod.Post, Names.Path("users", user) + "/tokens", new JsonObject { ["label"] = call.Get(label) }, call.Cancellation);
            await UserVerbs.WriteTokenAsync(call.Output, token.Text("id")!, token.Text("user")!, call.Get(label), token.Text("token")!);
            return ExitCodes.Ok;
        }, name, owner, teams, label, data, db);
        var apiAction = viaApi.Action!;
        viaApi.SetAction(async (parse, cancellation) =>
            parse.GetValue(data) is not null || parse.GetValue(db) is not null
                ? await OnStoreAsync(parse, name, owner, teams, label, data, db, cancellation)
                : await ((System.CommandLine.Invocation.AsynchronousCommandLineAction)apiAction).InvokeAsync(parse, cancellation));
        return viaApi;
    }

    /// <summary>Straight on the store: the way back in for whoever runs the server, when no owner's token is left.</summary>
    private static async Task<int> OnStoreAsync(ParseResult parse, Argument<string> name, Option<bool> owner, Option<string[]> teams,
        Option<string?> label, Option<string?> data, Option<string?> db, CancellationToken cancellation)
    {
        var output = parse.InvocationConfiguration.Output;
        var error = parse.InvocationConfiguration.Error;
        var user = parse.GetValue(name)!.Trim();
        List<TeamMembership> memberships;
        try
        {
            if (UserNames.Problem(user) is { } problem)
            {
                throw new UsageException($"NAME {problem}");
            }
            memberships = Memberships(parse.GetValue(teams) ?? []);
        }
        catch (UsageException e)
        {
            await error.WriteLineAsync($"ferry user add: {e.Message}");
            return ExitCodes.Usage;
        }
        var options = ServerOptions.From(parse.GetValue(data), parse.GetValue(db), null);
        try
        {
            await using var store = await StoreFactory.OpenAsync(Path.GetFullPath(options.DataDirectory), options.Connection, TimeProvider.System, cancellation);
            var saved = await store.SaveUserAsync(user, parse.GetValue(owner), memberships, cancellation);
            var token = await store.CreateApiTokenAsync(saved.Name, parse.GetValue(label), cancellation);
            var roles = saved.Memberships.Count == 0 ? "no role" : string.Join(", ", saved.Memberships.Select(m => $"{TeamRoles.Text(m.Role)} in {m.Team}"));
            await output.WriteLineAsync($"saved user {saved.Name} ({(saved.Owner ? "owner; " : "")}{roles}) in {Where(options)}");
            await UserVerbs.WriteTokenAsync(output, token.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), token.User, parse.GetValue(label), token.Token);
            return ExitCodes.Ok;
        }
        catch (Exception e) when (e is StoreException or LastOwnerException)
        {
            await error.WriteLineAsync($"ferry user add: {e.Message}");
            return ExitCodes.Failed;
        }
    }

    private static Command Remove()
    {
        var name = new Argument<string>("NAME") { Description = "The user to remove" };
        return ClientVerb.Create("remove", "Remove a user and their tokens (owners only): their tokens get 401 from the next request on", false, async call =>
        {
            var user = call.Get(name);
            await call.Client.SendAsync(HttpMethod.Delete, Names.Path("users", user), null, call.Cancellation);
            await call.Output.WriteLineAsync($"removed user '{user}' and their tokens");
            return ExitCodes.Ok;
        }, name);
    }

    private static Command Role()
    {
        var name = new Argument<string>("NAME") { Description = "The user" };
        var team = new Argument<string>("TEAM[:ROLE]") { Description = $"The team, and the role there: one of {TeamRoles.Names} (default member)" };
        var remove = new Option<bool>("--remove") { Description = "Take the user out of the team instead" };
        return ClientVerb.Create("role", "Give a user a role in a team, or take them out of it (owners, and the team's owners)", false, async call =>
        {
            var user = call.Get(name);
            var membership = Memberships([call.Get(team)]).Single();
            var path = Names.Path("users", user) + "/teams/" + FerryClient.Escape(membership.Team);
            var saved = call.Get(remove)
                ? await call.Client.SendAsync(HttpMethod.Delete, path, null, call.Cancellation)
                : await call.Client.SendAsync(HttpMethod.Put, path, new JsonObject { ["role"] = TeamRoles.Text(membership.Role) }, call.Cancellation);
            await call.Output.WriteLineAsync($"saved user {UserVerbs.Describe(saved)}");
            return ExitCodes.Ok;
        }, name, team, remove);
    }

    private static List<TeamMembership> Memberships(IEnumerable<string> given)
    {
        var memberships = new List<TeamMembership>();
        foreach (var text in given)
        {
            if (!TeamMembership.TryParse(text, out var membership, out var problem))
            {
                throw new UsageException($"--team {problem}");
            }
            if (UserNames.Problem(membership.Team, team: true) is { } invalid)
            {
                throw new UsageException($"--team {invalid}");
            }
            memberships.Add(membership);
        }
        return memberships;
    }

    private static string Where(ServerOptions options) =>
        options.Connection is null ? Path.Combine(Path.GetFullPath(options.DataDirectory), StoreFactory.SqliteFileName) : "the PostgreSQL store";
}
