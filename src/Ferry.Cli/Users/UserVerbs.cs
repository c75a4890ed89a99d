using System.CommandLine;
using System.Text.Json.Nodes;
using Ferry.Cli.Client;

namespace Ferry.Cli.Users;

/// <summary><c>users</c>, <c>whoami</c> and <c>token list|create|revoke</c> through the API (<c>user …</c>: <see cref="UserAddCommand"/>).</summary>
internal static class UserVerbs
{
    public static Command List() => ClientVerb.Create("users", "List the users with their roles (never their tokens); needs a role in some team", true, async call =>
    {
        var text = await call.Client.SendForTextAsync(HttpMethod.Get, "api/v1/users", null, call.Cancellation);
        if (call.Json)
        {
            await call.Output.WriteLineAsync(text);
            return ExitCodes.Ok;
        }
        var table = new Table("name", "owner", "roles", "created");
        foreach (var user in JsonNode.Parse(text).Items())
        {
            table.Add(user.Text("name"), user.Flag("owner") ? "yes" : "no", Roles(user), user.Time("createdAt"));
        }
        await table.WriteAsync(call.Output, "no users; on the server's machine: ferry user add NAME --owner");
        return ExitCodes.Ok;
    });

    public static Command WhoAmI() => ClientVerb.Create("whoami", "Who the server takes you for: the user of your token, with their roles", true, async call =>
    {
        var text = await call.Client.SendForTextAsync(HttpMethod.Get, "api/v1/whoami", null, call.Cancellation);
        if (call.Json)
        {
            await call.Output.WriteLineAsync(text);
            return ExitCodes.Ok;
        }
        await call.Output.WriteLineAsync(Describe(JsonNode.Parse(text)));
        return ExitCodes.Ok;
    });

    /// <summary>"alice (owner)", "bob (operator in main, viewer in web)", "carol (no role)".</summary>
    internal static string Describe(JsonNode? user)
    {
        var about = new List<string>();
        if (user.Flag("owner"))
        {
            about.Add("owner");
        }
        if (Roles(user) is { Length: > 0 } roles)
        {
            about.Add(roles);
        }
        return $"{user.Text("name")} ({(about.Count == 0 ? "no role" : string.Join("; ", about))})";
    }

    public static Command Token()
    {
        var user = new Option<string?>("--user", "-u") { Description = "Whose token (default: yours); only owners make tokens for others" };
        var label = new Option<string?>("--label", "-l") { Description = "What the token is for (a machine, a CI job)" };
        var worker = new Option<string?>("--worker", "-w") { Description = "A worker token instead, for `ferry worker` on another machine (owners); it names the worker" };
        var create = ClientVerb.Create("create", "Create an API token and print it (it is shown only once)", false, async call =>
        {
            if (call.Get(worker) is { } workerName)
            {
                if (!string.IsNullOrWhiteSpace(call.Get(user)))
                    throw new UsageException("--user and --worker do not go together: a worker token is no user's");
                var made = await call.Client.SendAsync(HttpMethod.Post, "api/v1/tokens/workers",
                    new JsonObject { ["worker"] = workerName, ["label"] = call.Get(label) }, call.Cancellation);
                await call.Output.WriteLineAsync($"worker token {made.Text("id")} for worker '{made.Text("worker")}'; it is shown only now (ferry worker --token, or FERRY_TOKEN):");
                await call.Output.WriteLineAsync(made.Text("token"));
                return ExitCodes.Ok;
            }
            var name = call.Get(user);
            if (string.IsNullOrWhiteSpace(name))
            {
                name = (await call.Client.GetAsync("api/v1/whoami", call.Cancellation)).Text("name")!;
            }
            var body = new JsonObject { ["label"] = call.Get(label) };
            var token = await call.Client.SendAsync(HttpMethod.Post, Names.Path("users", name) + "/tokens", body, call.Cancellation);
            await WriteTokenAsync(call.Output, token.Text("id")!, token.Text("user")!, call.Get(label), token.Text("token")!);
            return ExitCodes.Ok;
        }, user, label, worker);

        var listUser = new Option<string?>("--user", "-u") { Description = "Only this user's tokens (owners; everyone else sees their own)" };
        var list = ClientVerb.Create("list", "List API tokens: yours, or everyone's for an owner (ids, labels, dates; never the tokens)", true, async call =>
        {
            var name = call.Get(listUser);
            var text = await call.Client.SendForTextAsync(HttpMethod.Get,
                "api/v1/tokens" + (string.IsNullOrWhiteSpace(name) ? "" : "?user=" + FerryClient.Escape(name)), null, call.Cancellation);
            if (call.Json)
            {
                await call.Output.WriteLineAsync(text);
                return ExitCodes.Ok;
            }
            var table = new Table("id", "kind", "user or worker", "label", "created", "last used");
            foreach (var token in JsonNode.Parse(text).Items())
            {
                var isWorker = token.Text("kind") == "worker";
                table.Add(token.Text("id"), isWorker ? "worker" : "user", isWorker ? token.Text("worker") : token.Text("user"), token.Text("label") ?? "", token.Time("createdAt"),
                    token["lastUsedAt"] is null ? "never" : token.Time("lastUsedAt"));
            }
            await table.WriteAsync(call.Output, "no tokens");
            return ExitCodes.Ok;
        }, listUser);

        var id = new Argument<long>("ID") { Description = "The token's id (ferry token list)" };
        var revoke = ClientVerb.Create("revoke", "Revoke an API token: from the next request on it gets 401", false, async call =>
        {
            var tokenId = call.Get(id);
            await call.Client.SendAsync(HttpMethod.Delete, $"api/v1/tokens/{tokenId}", null, call.Cancellation);
            await call.Output.WriteLineAsync($"revoked token {tokenId}");
            return ExitCodes.Ok;
        }, id);
        return new Command("token", "API tokens: ferry token list | create [--user NAME | --worker NAME] [--label L] | revoke ID") { list, create, revoke };
    }

    /// <summary>The token on a line of its own, last, so <c>| tail -1</c> gets it.</summary>
    internal static async Task WriteTokenAsync(TextWriter output, string id, string user, string? label, string token)
    {
        var labelled = string.IsNullOrWhiteSpace(label) ? "" : $", label '{label}'";
        await output.WriteLineAsync($"token {id} for '{user}'{labelled}; it is shown only now (ferry login --token-file, or FERRY_TOKEN):");
        await output.WriteLineAsync(token);
    }

    /// <summary>"operator in main, viewer in web".</summary>
    internal static string Roles(JsonNode? user) =>
        string.Join(", ", (user?["roles"] as JsonArray ?? []).OfType<JsonNode>().Select(r => $"{r.Text("role")} in {r.Text("team")}"));
}
