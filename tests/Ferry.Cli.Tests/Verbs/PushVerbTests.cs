using System.Text.Json.Nodes;
using Ferry.Tests.LocalServers;
using static Ferry.Tests.LocalServers.TestFlows;

namespace Ferry.Cli.Tests.Verbs;

/// <summary>
/// <c>ferry push</c> against a whole server (loops on) and two real Node-RED instances: the preview of a snapshot
/// taken now (flow changes by tab, keys arriving empty), a "no" that pushes nothing, and a confirmed push followed to
/// its end. In the CLI server collection (with a server of its own) so no other test's FERRY_TOKEN reaches it.
/// </summary>
[Collection(CliServerCollection.Name)]
public sealed class PushVerbTests : IAsyncLifetime
{
    private readonly CliServer _server = new(runLoops: true);
    private NodeRedInstance _dev = null!;
    private NodeRedInstance _staging = null!;

    public async Task InitializeAsync()
    {
        if (NodeRedInstance.SkipReason is not null)
            return;
        _dev = await NodeRedInstance.StartAsync();
        _staging = await NodeRedInstance.StartAsync();
        await _server.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        if (_dev is not null)
            await _dev.DisposeAsync();
        if (_staging is not null)
            await _staging.DisposeAsync();
    }

    private async Task<string> InjectNameInStagingAsync() =>
        (await _staging.GetFlowsAsync()).Flows.OfType<JsonObject>().Single(n => (string?)n["id"] == "n1")["name"]!.GetValue<string>();

    [NodeRedFact]
    public async Task Push_ShowsThePreview_AsksAndPushesOnlyOnYes_ThenFollowsThePromotion()
    {
        await _staging.DeployAsync(Orders(Env("API_URL", "http://staging"), "tick"));
        await _dev.DeployAsync(Orders(Env("API_URL", "http://dev") + "," + Env("NEW_KEY", "dev-only"), "tock"));
        var file = await _server.WriteFileAsync("flows.yml", Stages(_dev.Url, _staging.Url));
        (await _server.RunAsync(["set-pipeline", "-p", "flows", "-c", file, "--yes"])).Exit.ShouldBe(0);

        var dryRun = await _server.RunAsync(["push", "-p", "flows", "--to", "staging", "--dry-run"]);

        dryRun.Exit.ShouldBe(0, dryRun.Out + dryRun.Err);
        dryRun.Out.ShouldContain("push development -> staging: a snapshot of development (dev-flows) taken now: the new release r1");
        dryRun.Out.ShouldContain("flows/staging: r1 would be its first release");
        dryRun.Out.ShouldMatch(@"\n  dev-flows: new: rev:[0-9a-f]{12},snapshot:[0-9a-f]{12}\r?\n", "hashes shortened as `ferry snapshots` shows them");
        dryRun.Out.ShouldContain("flows in staging: 0 added, 0 removed, 2 changed");
        dryRun.Out.ShouldContain("    Orders (tab)");
        dryRun.Out.ShouldContain("      ~ inject tock (n1): name");
        dryRun.Out.ShouldContain("variables without a value: NEW_KEY");
        dryRun.Out.TrimEnd().ShouldEndWith("dry run: nothing pushed");
        (await _server.RunAsync(["push", "-p", "flows", "--to", "staging", "--dry-run", "--yes"])).Exit.ShouldBe(2);

        var no = await _server.RunAsync(["push", "-p", "flows", "--to", "staging"], input: "n\n");
        no.Exit.ShouldBe(1, no.Out + no.Err);
        no.Out.ShouldContain("push r1 into staging? [y/N]");
        no.Out.TrimEnd().ShouldEndWith("nothing pushed");
        (await InjectNameInStagingAsync()).ShouldBe("tick");

        var yes = await _server.RunAsync(["push", "-p", "flows", "--to", "staging", "--snapshot", "now", "--yes", "--watch"]);

        yes.Exit.ShouldBe(0, yes.Out + yes.Err);
        yes.Out.TrimEnd().Split(Environment.NewLine)[^1].ShouldContain("r1 to staging, succeeded");
        (await InjectNameInStagingAsync()).ShouldBe("tock");
        var staging = JsonNode.Parse((await _server.RunAsync(["environments", "-p", "flows", "--json"])).Out)!.AsArray()
            .Single(e => e!["name"]!.GetValue<string>() == "staging")!;
        staging["current"]!["name"]!.GetValue<string>().ShouldBe("r1");
        var latest = await _server.RunAsync(["push", "-p", "flows", "--to", "staging", "--snapshot", "latest", "--dry-run"]);
        latest.Exit.ShouldBe(0, latest.Out + latest.Err);
        latest.Out.ShouldContain("the latest snapshot of development: its current release r1");
        latest.Out.ShouldContain("flows in staging: no change");
    }
}
