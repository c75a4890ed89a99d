using System.Text.Json.Nodes;

namespace Ferry.Cli.Tests.Verbs;

[Collection(CliServerCollection.Name)]
public sealed class UserVerbsTests(CliServer server)
{
    private const string Greet = """
        jobs:
          - name: greet
            plan:
              - task: hello
                config:
                  platform: linux
                  run: { path: sh, args: [-c, "echo hello"] }
        """;

    [Fact]
    public async Task UserAdd_OnTheStore_MakesAUserWhoseTokenFerryTokenCarries()
    {
        var add = await Cli.RunAsync(["user", "add", "cli-olive", "--owner", "--team", "ops", "--team", "dev:viewer", "--label", "laptop", "--data", server.DataDirectory]);

        add.Exit.ShouldBe(0, add.Err);
        var lines = add.Out.TrimEnd().Split('\n');
        lines[0].ShouldBe($"saved user cli-olive (owner; viewer in dev, member in ops) in {Path.Combine(server.DataDirectory, "ferry.db")}");
        lines[1].ShouldEndWith("for 'cli-olive', label 'laptop'; it is shown only now (ferry login --token-file, or FERRY_TOKEN):");
        var token = lines[^1];
        token.ShouldStartWith("ferry_");

        // The variable itself, once (the tests of this collection run one at a time); others give their token in-process.
        CliResult me;
        Environment.SetEnvironmentVariable("FERRY_TOKEN", token);
        try
        {
            me = await Cli.WithTargetsAsync(server.TargetsFile, () => Cli.RunAsync(["whoami", "--url", server.Url]));
        }
        finally
        {
            Environment.SetEnvironmentVariable("FERRY_TOKEN", null);
        }
        var json = await Cli.WithTokenAsync(token, () => server.RunAsync(["whoami", "--json"]));

        me.Exit.ShouldBe(0, me.Err);
        me.Out.ShouldBe("cli-olive (owner; viewer in dev, member in ops)" + Environment.NewLine);
        JsonNode.Parse(json.Out)!["owner"]!.GetValue<bool>().ShouldBeTrue();
    }

    [Fact]
    public async Task UserAdd_ThroughTheApi_SavesTheRolesAndPrintsATokenOfTheirs()
    {
        var add = await server.RunAsync(["user", "add", "cli-ann", "--team", "main:operator", "--team", "web:viewer", "--label", "ci"]);

        add.Exit.ShouldBe(0, add.Err);
        add.Out.ShouldStartWith("saved user cli-ann (operator in main, viewer in web)" + Environment.NewLine);
        var token = add.Out.TrimEnd().Split('\n')[^1];
        (await Cli.WithTokenAsync(token, () => server.RunAsync(["whoami"]))).Out.ShouldBe("cli-ann (operator in main, viewer in web)" + Environment.NewLine);
        var refused = await Cli.WithTokenAsync(token, () => server.RunAsync(["user", "add", "cli-made-by-ann"]));
        refused.Exit.ShouldBe(1);
        refused.Err.ShouldBe("ferry user add: saving user 'cli-made-by-ann': cli-ann is not an owner: only owners add, change and remove users" + Environment.NewLine);
        var badRole = await server.RunAsync(["user", "add", "cli-bad", "--team", "main:admin"]);
        badRole.Exit.ShouldBe(2);
        badRole.Err.ShouldStartWith("ferry user add: --team 'main:admin' names no role");
    }

    [Fact]
    public async Task Verbs_Exit1AndSayHowToSignIn_WhenNoTokenIsSent()
    {
        var me = await Cli.WithTokenAsync(null, () => server.RunAsync(["pipelines"]));

        me.Exit.ShouldBe(1);
        me.Err.ShouldStartWith("ferry pipelines: this server needs a signed-in user");
        me.Err.ShouldContain("sign in: ferry login --url URL --token-file FILE");
    }

    [Fact]
    public async Task WhoAmI_Exits1WithTheServersMessage_WhenTokenIsUnknown()
    {
        var me = await Cli.WithTokenAsync("ferry_made-up", () => server.RunAsync(["whoami"]));

        me.Exit.ShouldBe(1);
        me.Err.ShouldStartWith("ferry whoami: the Authorization header's bearer token is not a known API token (unknown or revoked)");
    }

    [Fact]
    public async Task TokenCreate_MakesTokensForOneselfAndOthers_WhenAnOwnerAsks()
    {
        var owner = await server.Store.UpsertUserAsync("cli-owen", owner: true, []);
        await server.Store.UpsertUserAsync("cli-ivy", owner: false, ["qa"]);
        var token = (await server.Store.CreateApiTokenAsync(owner.Name)).Token;

        var own = await Cli.WithTokenAsync(token, () => server.RunAsync(["token", "create", "--label", "ci"]));
        var ivys = await Cli.WithTokenAsync(token, () => server.RunAsync(["token", "create", "--user", "cli-ivy"]));

        own.Exit.ShouldBe(0, own.Err);
        own.Out.ShouldContain("for 'cli-owen', label 'ci'");
        ivys.Exit.ShouldBe(0, ivys.Err);
        var ivyToken = ivys.Out.TrimEnd().Split('\n')[^1];
        (await Cli.WithTokenAsync(ivyToken, () => server.RunAsync(["whoami"]))).Out.ShouldStartWith("cli-ivy (member in qa)");
        var refused = await Cli.WithTokenAsync(ivyToken, () => server.RunAsync(["token", "create", "--user", "cli-owen"]));
        refused.Exit.ShouldBe(1);
        refused.Err.ShouldBe("ferry token create: creating a token for 'cli-owen': only an owner or 'cli-owen' themselves may (you are 'cli-ivy')" + Environment.NewLine);
    }

    [Fact]
    public async Task TokenCreateWorker_PrintsAWorkerToken_ListedAsAWorkers_ThatWorkersShowsOnceItRegisters()
    {
        var owner = await server.Store.UpsertUserAsync("cli-wendy", owner: true, []);
        var token = (await server.Store.CreateApiTokenAsync(owner.Name)).Token;

        var made = await Cli.WithTokenAsync(token, () => server.RunAsync(["token", "create", "--worker", "cli-gpu-1"]));
        var both = await Cli.WithTokenAsync(token, () => server.RunAsync(["token", "create", "--worker", "cli-gpu-2", "--user", "cli-wendy"]));

        made.Exit.ShouldBe(0, made.Err);
        made.Out.ShouldStartWith("worker token ");
        made.Out.ShouldContain("for worker 'cli-gpu-1'");
        both.Exit.ShouldBe(2);
        both.Err.ShouldContain("--user and --worker do not go together");
        var workerToken = made.Out.TrimEnd().Split('\n')[^1];
        var list = await Cli.WithTokenAsync(token, () => server.RunAsync(["token", "list"]));
        list.Out.Split('\n').ShouldContain(r => r.Contains("worker") && r.Contains("cli-gpu-1"));
        // A worker token is for the worker's routes only.
        (await Cli.WithTokenAsync(workerToken, () => server.RunAsync(["pipelines"]))).Exit.ShouldBe(1);

        using var http = new HttpClient { BaseAddress = new Uri(server.Url.TrimEnd('/') + "/") };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", workerToken);
        var registration = new Ferry.Engine.Workers.WorkerRegistration(["gpu", "linux"], "process", 3, "1.0.0", []);
        using (var registered = await http.PostAsync("api/v1/worker/register",
            System.Net.Http.Json.JsonContent.Create(registration, options: Ferry.Engine.Workers.WorkerProtocol.Json)))
            registered.IsSuccessStatusCode.ShouldBeTrue(await registered.Content.ReadAsStringAsync());
        var workers = await Cli.WithTokenAsync(token, () => server.RunAsync(["workers"]));

        workers.Exit.ShouldBe(0, workers.Err);
        var row = workers.Out.Split('\n').Single(r => r.StartsWith("cli-gpu-1", StringComparison.Ordinal));
        row.Split(' ', StringSplitOptions.RemoveEmptyEntries)[..5].ShouldBe(["cli-gpu-1", "remote", "running", "gpu,linux", "process"]);
    }

    [Fact]
    public async Task TokenListAndRevoke_ShowOwnTokensAndARevokedOneGets401AtOnce()
    {
        await server.Store.UpsertUserAsync("cli-rita", owner: false, ["main"]);
        var laptop = await server.Store.CreateApiTokenAsync("cli-rita", "laptop");
        var ci = await server.Store.CreateApiTokenAsync("cli-rita", "ci");

        var list = await Cli.WithTokenAsync(laptop.Token, () => server.RunAsync(["token", "list"]));
        var revoke = await Cli.WithTokenAsync(laptop.Token, () => server.RunAsync(["token", "revoke", ci.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]));
        var revoked = await Cli.WithTokenAsync(ci.Token, () => server.RunAsync(["whoami"]));
        var json = await server.RunAsync(["token", "list", "--user", "cli-rita", "--json"]);

        list.Exit.ShouldBe(0, list.Err);
        var rows = list.Out.TrimEnd().Split('\n');
        rows[0].ShouldStartWith("ID");
        rows.Skip(1).Select(r => r.Split(' ', StringSplitOptions.RemoveEmptyEntries)[3]).ShouldBe(["laptop", "ci"]);
        list.Out.ShouldNotContain("ferry_");
        revoke.Exit.ShouldBe(0, revoke.Err);
        revoke.Out.ShouldBe($"revoked token {ci.Id}" + Environment.NewLine);
        revoked.Exit.ShouldBe(1);
        revoked.Err.ShouldContain("not a known API token (unknown or revoked)");
        JsonNode.Parse(json.Out)!.AsArray().Select(t => t!["label"]!.GetValue<string>()).ShouldBe(["laptop"]);
    }

    [Fact]
    public async Task UserRemove_TakesTheUsersTokens_AndOnlyAnOwnerMay()
    {
        await server.Store.UpsertUserAsync("cli-gone", owner: false, ["main"]);
        var token = (await server.Store.CreateApiTokenAsync("cli-gone")).Token;
        await server.Store.UpsertUserAsync("cli-plain", owner: false, ["main"]);
        var plain = (await server.Store.CreateApiTokenAsync("cli-plain")).Token;

        var refused = await Cli.WithTokenAsync(plain, () => server.RunAsync(["user", "remove", "cli-gone"]));
        var removed = await server.RunAsync(["user", "remove", "cli-gone"]);
        var after = await Cli.WithTokenAsync(token, () => server.RunAsync(["whoami"]));
        var again = await server.RunAsync(["user", "remove", "cli-gone"]);

        refused.Exit.ShouldBe(1);
        refused.Err.ShouldBe("ferry user remove: removing user 'cli-gone': cli-plain is not an owner: only owners add, change and remove users" + Environment.NewLine);
        removed.Exit.ShouldBe(0, removed.Err);
        removed.Out.ShouldBe("removed user 'cli-gone' and their tokens" + Environment.NewLine);
        after.Exit.ShouldBe(1);
        again.Exit.ShouldBe(1);
        again.Err.ShouldBe("ferry user remove: user 'cli-gone' not found" + Environment.NewLine);
    }

    [Fact]
    public async Task UserRole_LetsAViewerPause_AfterTheRefusalNamedTheRoleNeeded()
    {
        var file = await server.WriteFileAsync("cli-role.yml", Greet);
        (await server.RunAsync(["set-pipeline", "-p", "cli-role", "-c", file, "--yes"])).Exit.ShouldBe(0);
        await server.Store.UpsertUserAsync("cli-vic", owner: false, []);
        await server.RunAsync(["user", "role", "cli-vic", "main:viewer"]);
        var vic = (await server.Store.CreateApiTokenAsync("cli-vic")).Token;

        // Pausing, not triggering: a build made here would wait for the runner of the other tests of this server.
        var refused = await Cli.WithTokenAsync(vic, () => server.RunAsync(["pause-pipeline", "-p", "cli-role"]));
        var promoted = await server.RunAsync(["user", "role", "cli-vic", "main:operator"]);
        var paused = await Cli.WithTokenAsync(vic, () => server.RunAsync(["pause-pipeline", "-p", "cli-role"]));
        var removed = await server.RunAsync(["user", "role", "cli-vic", "main", "--remove"]);
        var gone = await Cli.WithTokenAsync(vic, () => server.RunAsync(["jobs", "-p", "cli-role"]));

        refused.Exit.ShouldBe(1);
        refused.Err.ShouldBe("ferry pause-pipeline: cli-vic needs the operator role in team main to pause or unpause pipeline cli-role" + Environment.NewLine);
        promoted.Out.ShouldBe("saved user cli-vic (operator in main)" + Environment.NewLine);
        paused.Exit.ShouldBe(0, paused.Err);
        removed.Out.ShouldBe("saved user cli-vic (no role)" + Environment.NewLine);
        gone.Exit.ShouldBe(1);
        gone.Err.ShouldBe("ferry jobs: pipeline 'cli-role' not found" + Environment.NewLine);
    }

    [Fact]
    public async Task Users_ListsUsersWithTheirRolesButNoTokens_WhenAsked()
    {
        await server.Store.UpsertUserAsync("cli-uma", owner: false, ["web"]);
        await server.Store.CreateApiTokenAsync("cli-uma");

        var table = await server.RunAsync(["users"]);
        var json = await server.RunAsync(["users", "--json"]);

        table.Exit.ShouldBe(0, table.Err);
        var uma = PlainTable.Parse(table.Out).Single(r => r["NAME"] == "cli-uma");
        (uma["OWNER"], uma["ROLES"]).ShouldBe(("no", "member in web"));
        JsonNode.Parse(json.Out)!.AsArray().Select(u => u!["name"]!.GetValue<string>()).ShouldContain("cli-uma");
        json.Out.ShouldNotContain("ferry_");
    }

    [Theory]
    [InlineData("anonymous")]
    [InlineData("two words")]
    public async Task UserAdd_Exits2_WhenNameIsReservedOrInvalid(string name)
    {
        var add = await Cli.RunAsync(["user", "add", name, "--data", server.DataDirectory]);

        add.Exit.ShouldBe(2);
        add.Err.ShouldStartWith($"ferry user add: NAME '{name}' is");
    }
}
