using System.CommandLine;
using Ferry.Server;
using Ferry.Server.Auth;
using Ferry.Storage;

namespace Ferry.Cli.Users;

/// <summary>
/// <c>ferry user add NAME [--owner] [--team T]… [--label L] [--data DIR | --db URL]</c>: works on the server's store
/// directly (no server needed, nor a token), so the first owner can exist. Saves the user and prints a new token.
/// </summary>
internal static class UserAddCommand
{
    public static Command Create()
    {
        var name = new Argument<string>("NAME") { Description = "The user's name (letters, digits, '.', '_', '-', '@')" };
        var owner = new Option<bool>("--owner") { Description = "An owner: manages users and may touch protected environments" };
        var teams = new Option<string[]>("--team", "-t") { Description = "A team the user is in (repeat for several); replaces the user's teams", AllowMultipleArgumentsPerToken = false };
        var label = new Option<string?>("--label", "-l") { Description = "What the new token is for" };
        var data = new Option<string?>("--data")
        {
            Description = $"The server's data directory (default: FERRY_DATA, else ./{ServerOptions.DefaultDataDirectory})",
        };
        var db = new Option<string?>("--db") { Description = "The server's PostgreSQL connection string or postgres:// URL (default: FERRY_DB, else SQLite under --data)" };
        var add = new Command("add", "Create or update a user in the server's store and print a new API token for them")
        {
            name, owner, teams, label, data, db,
        };
        add.SetAction(async (parse, cancellation) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var user = parse.GetValue(name)!.Trim();
            var teamNames = (parse.GetValue(teams) ?? []).Select(t => t.Trim()).ToList();
            if (Invalid(user, teamNames) is { } problem)
            {
                await error.WriteLineAsync($"ferry user add: {problem}");
                return ExitCodes.Usage;
            }
            var options = ServerOptions.From(parse.GetValue(data), parse.GetValue(db), null);
            try
            {
                await using var store = await StoreFactory.OpenAsync(Path.GetFullPath(options.DataDirectory), options.Connection, TimeProvider.System, cancellation);
                var saved = await store.UpsertUserAsync(user, parse.GetValue(owner), teamNames, cancellation);
                var token = await store.CreateApiTokenAsync(saved.Name, parse.GetValue(label), cancellation);
                var about = saved.Owner ? "owner" : "not an owner";
                await output.WriteLineAsync(
                    $"saved user '{saved.Name}' ({about}; teams: {(saved.Teams.Count == 0 ? "none" : string.Join(", ", saved.Teams))}) in {Where(options)}");
                await UserVerbs.WriteTokenAsync(output, token.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), token.User, parse.GetValue(label), token.Token);
                return ExitCodes.Ok;
            }
            catch (StoreException e)
            {
                await error.WriteLineAsync($"ferry user add: {e.Message}");
                return ExitCodes.Failed;
            }
        });
        return new Command("user", "Manage users on the server's store: ferry user add NAME") { add };
    }

    private static string Where(ServerOptions options) =>
        options.Connection is null ? Path.Combine(Path.GetFullPath(options.DataDirectory), StoreFactory.SqliteFileName) : "the PostgreSQL store";

    private static string? Invalid(string user, IEnumerable<string> teams) =>
        UserNames.Problem(user) is { } problem ? $"NAME {problem}"
        : teams.Select(t => UserNames.Problem(t, team: true)).FirstOrDefault(p => p is not null) is { } teamProblem ? $"--team {teamProblem}"
        : null;
}
