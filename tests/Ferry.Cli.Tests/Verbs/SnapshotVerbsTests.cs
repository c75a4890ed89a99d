using System.Text.Json.Nodes;
using Ferry.Tests.LocalServers;

namespace Ferry.Cli.Tests.Verbs;

/// <summary>
/// Drift and snapshots through the <c>ferry</c> command against a whole server (loops on) and two real Node-RED
/// instances: a flow edited by hand in staging through the Admin API is shown as drift, a promotion onto it is refused
/// with the diff, <c>--force</c> goes through and is audited, and <c>ferry snapshots</c> lists, diffs and rolls back.
/// </summary>
[Collection(CliServerCollection.Name)]
public sealed class SnapshotVerbsTests : IAsyncLifetime
{
    private const string P = "flows";
    private readonly CliServer _server = new(runLoops: true);
    private readonly List<NodeRedInstance> _instances = [];
    private NodeRedInstance _dev = null!;
    private NodeRedInstance _staging = null!;

    public async Task InitializeAsync()
    {
        if (NodeRedInstance.SkipReason is not null)
            return;
        await _server.InitializeAsync();
        _instances.Add(_dev = await NodeRedInstance.StartAsync());
        _instances.Add(_staging = await NodeRedInstance.StartAsync());
    }

    public async Task DisposeAsync()
    {
        foreach (var instance in _instances)
            await instance.DisposeAsync();
        await _server.DisposeAsync();
    }

    private static JsonArray Flows(string debugName) => JsonNode.Parse($$"""
        [
          {"id": "t1", "type": "tab", "label": "Orders"},
          {"id": "n1", "type": "inject", "z": "t1", "name": "tick", "props": [], "repeat": "", "once": false, "wires": [["n2"]]},
          {"id": "n2", "type": "debug", "z": "t1", "name": "{{debugName}}", "active": true, "wires": []}
        ]
        """)!.AsArray();

    private static string DebugName(JsonArray flows) => (string)flows.OfType<JsonObject>().Single(n => (string?)n["id"] == "n2")["name"]!;

    [NodeRedFact]
    public async Task Promote_IsRefusedOntoAHandEditedInstance_UntilForced_AndSnapshotsListDiffAndRollBack()
    {
        await _dev.DeployAsync(Flows("out"));
        var file = await _server.WriteFileAsync("flows.yml", $$"""
            resources:
              - name: dev-flows
                type: node-red
                check_every: 1s
                source: { url: "{{_dev.Url}}" }
            environments:
              - name: development
                instance: dev-flows
              - name: staging
                from: [development]
                instance: { type: node-red, source: { url: "{{_staging.Url}}" } }
                promote: manual
            """);
        (await _server.RunAsync(["set-pipeline", "-p", P, "-c", file, "--yes"])).Exit.ShouldBe(0);
        await CurrentInDevelopmentAsync("r1");
        var first = await _server.RunAsync(["promote", "-p", P, "-e", "staging", "--watch"]);
        first.Exit.ShouldBe(0, first.Out + first.Err);
        var listed = await _server.RunAsync(["snapshots", "-p", P, "-e", "staging", "--json"]);
        var deployed = JsonNode.Parse(listed.Out)!.AsArray().ShouldHaveSingleItem()!;
        (deployed["kind"]!.GetValue<string>(), deployed["release"]!.GetValue<string>(), deployed["by"]!.GetValue<string>())
            .ShouldBe(("deployed", "r1", "manual promotion by admin"));
        var r1Snapshot = deployed["snapshot"]!.GetValue<string>();

        // Someone edits staging's flow by hand (the editor's Deploy is this Admin API call), and development moves on.
        await _staging.DeployAsync(Flows("hand-edited"));
        await _dev.DeployAsync(Flows("v2"));
        await CurrentInDevelopmentAsync("r2");

        var refused = await _server.RunAsync(["promote", "-p", P, "-e", "staging"]);
        refused.Exit.ShouldBe(1, refused.Out + refused.Err);
        refused.Err.ShouldContain("refused");
        refused.Err.ShouldContain("changed by hand");
        refused.Out.ShouldContain("drift: the instance was edited by hand since Ferry deployed r1");
        refused.Out.ShouldContain("~ debug 'hand-edited' n2: name");
        DebugName((await _staging.GetFlowsAsync()).Flows).ShouldBe("hand-edited");

        var environments = await _server.RunAsync(["environments", "-p", P]);
        environments.Out.ShouldContain("DRIFTED since");
        var diff = await _server.RunAsync(["snapshots", "diff", "-p", P, "-e", "staging", r1Snapshot[..8]]);
        diff.Exit.ShouldBe(0, diff.Err);
        diff.Out.ShouldContain("0 added, 0 removed, 1 changed");
        diff.Out.ShouldContain("tab Orders");
        diff.Out.ShouldContain("~ debug 'hand-edited' n2: name");

        var forced = await _server.RunAsync(["promote", "-p", P, "-e", "staging", "--force", "--watch"]);
        forced.Exit.ShouldBe(0, forced.Out + forced.Err);
        DebugName((await _staging.GetFlowsAsync()).Flows).ShouldBe("v2");
        (await _server.RunAsync(["environments", "-p", P])).Out.ShouldNotContain("DRIFTED");
        var audit = await _server.RunAsync(["audit", "-p", P]);
        audit.Out.ShouldContain("drift_overwritten");
        audit.Out.ShouldContain("overwrites the hand edits in staging's instance");
        var snapshots = await _server.RunAsync(["snapshots", "-p", P, "-e", "staging"]);
        snapshots.Out.ShouldContain("deployed (forced)");
        snapshots.Out.ShouldContain("drift");
        snapshots.Out.ShouldContain("seen by the drift check");

        var rollback = await _server.RunAsync(["rollback", "-p", P, "-e", "staging", "--snapshot", r1Snapshot[..10]]);
        rollback.Exit.ShouldBe(0, rollback.Out + rollback.Err);
        rollback.Out.ShouldContain("is held");
        await UntilAsync(async () => DebugName((await _staging.GetFlowsAsync()).Flows) == "out", "staging runs r1's flows again");
    }

    private async Task CurrentInDevelopmentAsync(string release) => await UntilAsync(async () =>
    {
        var environments = await _server.RunAsync(["environments", "-p", P, "--json"]);
        return JsonNode.Parse(environments.Out)?.AsArray().Any(e => e!["name"]!.GetValue<string>() == "development"
            && e["current"]?["name"]?.GetValue<string>() == release) == true;
    }, $"{release} is current in development");

    private static async Task UntilAsync(Func<Task<bool>> done, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!await done())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"not within 60 s: {what}");
            await Task.Delay(200);
        }
    }
}
