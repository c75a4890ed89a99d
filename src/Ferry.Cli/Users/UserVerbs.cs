using System.CommandLine;
using System.Text.Json.Nodes;
using Ferry.Cli.Client;

namespace Ferry.Cli.Users;

/// <summary><c>users</c>, <c>whoami</c> and <c>token create</c> through the API (<c>user add</c> works on the store: <see cref="UserAddCommand"/>).</summary>
internal static class UserVerbs
{
    public static Command List() => ClientVerb.Create("users", "List the users with their teams (never their tokens)", true, async call =>
    {
        var text = await call.Client.SendForTextAsync(HttpMethod.Get, "api/v1/users", null, call.Cancellation);
        if (call.Json)
        {
            await call.Output.WriteLineAsync(text);
            return ExitCodes.Ok;
        }
        var table = new Table("name", "owner", "teams", "created");
        foreach (var user in JsonNode.Parse(text).Items())
        {
            table.Add(user.Text("name"), user.Flag("owner") ? "yes" : "no", Teams(user), user.Time("createdAt"));
        }
        await table.WriteAsync(call.Output, "no users; on the server's machine: ferry user add NAME --owner");
        return ExitCodes.Ok;
    });

    public static Command WhoAmI() => ClientVerb.Create("whoami", "Who the server takes you for (the user of FERRY_TOKEN, else anonymous)", true, async call =>
    {
        var text = await call.Client.SendForTextAsync(HttpMethod.Get, "api/v1/whoami", null, call.Cancellation);
        if (call.Json)
        {
            await call.Output.WriteLineAsync(text);
            return ExitCodes.Ok;
        }
        var me = JsonNode.Parse(text);
        var about = new List<string>();
        if (me.Flag("owner"))
        {
            about.Add("owner");
        }
        if (Teams(me) is { Length: > 0 } teams)
        {
            about.Add("teams: " + teams);
        }
        if (string.IsNullOrEmpty(CliToken.Current))
        {
            about.Add("FERRY_TOKEN is not set");
        }
        await call.Output.WriteLineAsync(about.Count == 0 ? me.Text("name") : $"{me.Text("name")} ({string.Join("; ", about)})");
        return ExitCodes.Ok;
    });

    public static Command Token()
    {
        var user = new Option<string?>("--user", "-u") { Description = "Whose token (default: yours, the user of FERRY_TOKEN); only owners make tokens for others" };
        var label = new Option<string?>("--label", "-l") { Description = "What the token is for (a machine, a CI job)" };
        var create = ClientVerb.Create("create", "Create an API token and print it (it is shown only once)", false, async call =>
        {
            var name = call.Get(user);
            if (string.IsNullOrWhiteSpace(name))
            {
                name = (await call.Client.GetAsync("api/v1/whoami", call.Cancellation)).Text("name")!;
            }
            var body = new JsonObject { ["label"] = call.Get(label) };
            var token = await call.Client.SendAsync(HttpMethod.Post, Names.Path("users", name) + "/tokens", body, call.Cancellation);
            await WriteTokenAsync(call.Output, token.Text("id")!, token.Text("user")!, call.Get(label), token.Text("token")!);
            return ExitCodes.Ok;
        }, user, label);
        return new Command("token", "API tokens: ferry token create [--user NAME] [--label L]") { create };
    }

    /// <summary>The token on a line of its own, last, so <c>| tail -1</c> gets it.</summary>
    internal static async Task WriteTokenAsync(TextWriter output, string id, string user, string? label, string token)
    {
        var labelled = string.IsNullOrWhiteSpace(label) ? "" : $", label '{label}'";
        await output.WriteLineAsync($"token {id} for '{user}'{labelled}; it is shown only now (use it as FERRY_TOKEN):");
        await output.WriteLineAsync(token);
    }

    private static string Teams(JsonNode? user) =>
        string.Join(", ", (user?["teams"] as JsonArray ?? []).Select(t => t?.GetValue<string>()).OfType<string>());
}
