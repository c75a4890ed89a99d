using System.Text.Json.Nodes;

namespace Ferry.Cli.Tests.Verbs;

[Collection(CliServerCollection.Name)]
public sealed class UserVerbsTests(CliServer server)
{
    [Fact]
    public async Task UserAdd_MakesAUserWhoseTokenWhoAmIKnows_WhenRunOnTheServersStore()
    {
        var add = await Cli.RunAsync(["user", "add", "cli-olive", "--owner", "--team", "ops", "--team", "dev", "--label", "laptop", "--data", server.DataDirectory]);

        add.Exit.ShouldBe(0, add.Err);
        var lines = add.Out.TrimEnd().Split('\n');
        lines[0].ShouldBe($"saved user 'cli-olive' (owner; teams: dev, ops) in {Path.Combine(server.DataDirectory, "ferry.db")}");
        lines[1].ShouldEndWith("for 'cli-olive', label 'laptop'; it is shown only now (use it as FERRY_TOKEN):");
        var token = lines[^1];
        token.ShouldStartWith("ferry_");

        // The variable itself, once; other tests give their token in-process (CliToken), which is safe when tests run at once.
        CliResult me;
        Environment.SetEnvironmentVariable("FERRY_TOKEN", token);
        try
        {
            me = await server.RunAsync(["whoami"]);
        }
        finally
        {
            Environment.SetEnvironmentVariable("FERRY_TOKEN", null);
        }
        var json = await Cli.WithTokenAsync(token, () => server.RunAsync(["whoami", "--json"]));

        me.Exit.ShouldBe(0, me.Err);
        me.Out.ShouldBe("cli-olive (owner; teams: dev, ops)" + Environment.NewLine);
        JsonNode.Parse(json.Out)!["owner"]!.GetValue<bool>().ShouldBeTrue();
    }

    [Fact]
    public async Task WhoAmI_SaysAnonymous_WhenNoTokenIsSet()
    {
        var me = await Cli.WithTokenAsync(null, () => server.RunAsync(["whoami"]));

        me.Exit.ShouldBe(0, me.Err);
        me.Out.ShouldBe("anonymous (FERRY_TOKEN is not set)" + Environment.NewLine);
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
        (await Cli.WithTokenAsync(ivyToken, () => server.RunAsync(["whoami"]))).Out.ShouldStartWith("cli-ivy (teams: qa)");
        var refused = await Cli.WithTokenAsync(ivyToken, () => server.RunAsync(["token", "create", "--user", "cli-owen"]));
        refused.Exit.ShouldBe(1);
        refused.Err.ShouldBe("ferry token create: creating a token for 'cli-owen': only an owner or 'cli-owen' themselves may (you are 'cli-ivy')" + Environment.NewLine);
    }

    [Fact]
    public async Task Users_ListsUsersWithoutTokens_WhenAsked()
    {
        await server.Store.UpsertUserAsync("cli-uma", owner: false, ["web"]);
        await server.Store.CreateApiTokenAsync("cli-uma");

        var table = await server.RunAsync(["users"]);
        var json = await server.RunAsync(["users", "--json"]);

        table.Exit.ShouldBe(0, table.Err);
        var uma = PlainTable.Parse(table.Out).Single(r => r["NAME"] == "cli-uma");
        (uma["OWNER"], uma["TEAMS"]).ShouldBe(("no", "web"));
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
