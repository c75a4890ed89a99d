using Ferry.Tests.LocalServers;
using System.Text.Json.Nodes;
using Ferry.Engine.Resources;
using Ferry.Engine.Resources.NodeRed;

namespace Ferry.Engine.Tests.Resources;

/// <summary>
/// What a put carries into an instance and what it never does: the target keeps its own credentials and
/// settings.js; flows needing node modules the target lacks are refused, naming the modules, before any deploy.
/// </summary>
public sealed class NodeRedWhatTravelsTests : IAsyncLifetime
{
    private readonly NodeRedResourceType _type = new();
    private readonly string _root = Directory.CreateTempSubdirectory("ferry-node-red-travels-").FullName;
    private readonly List<NodeRedInstance> _instances = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var instance in _instances)
            await instance.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    private async Task<NodeRedInstance> StartAsync(NodeRedOptions? options = null)
    {
        var instance = await NodeRedInstance.StartAsync(options ?? new NodeRedOptions());
        _instances.Add(instance);
        return instance;
    }

    private ResourceCall Call() => new(TextWriter.Null, new Dictionary<string, string>(), Path.Combine(_root, "cache"));

    /// <summary>An MQTT broker config node (not connecting) with credentials, used by an mqtt out node.</summary>
    private static JsonArray BrokerFlows(string label, JsonObject? credentials = null)
    {
        var flows = JsonNode.Parse($$"""
            [
              {"id": "t1", "type": "tab", "label": "{{label}}"},
              {"id": "b1", "type": "mqtt-broker", "name": "broker", "broker": "127.0.0.1", "port": "9", "autoConnect": false, "protocolVersion": "4"},
              {"id": "m1", "type": "mqtt out", "z": "t1", "name": "", "topic": "orders", "broker": "b1", "wires": []}
            ]
            """)!.AsArray();
        if (credentials is not null)
            flows[1]!["credentials"] = credentials;
        return flows;
    }

    private static JsonObject Credentials(string user, string password) => new() { ["user"] = user, ["password"] = password };

    private async Task<string> GetAsync(NodeRedInstance instance, JsonObject source)
    {
        var version = (await _type.CheckAsync(Call(), source, null, CancellationToken.None)).ShouldHaveSingleItem();
        var artifacts = Path.Combine(_root, "artifacts-" + Guid.NewGuid().ToString("N")[..6]);
        await _type.GetAsync(Call(), source, version, [], Directory.CreateDirectory(Path.Combine(artifacts, "dev-flows")).FullName, CancellationToken.None);
        return artifacts;
    }

    private static JsonObject Params() => new() { ["flows"] = "dev-flows/flows.json" };

    [NodeRedFact]
    public async Task PutAsync_KeepsTargetsCredentialsAndSettings_WhenSourceHasOtherCredentialsForSameNode()
    {
        var dev = await StartAsync();
        var staging = await StartAsync();
        await dev.DeployAsync(BrokerFlows("From dev", Credentials("dev-user", "dev-pass")));
        await staging.DeployAsync(BrokerFlows("Staging", Credentials("staging-user", "staging-pass")));
        var settings = await File.ReadAllTextAsync(Path.Combine(staging.Root, "settings.js"));
        var artifacts = await GetAsync(dev, dev.Source());

        await _type.PutAsync(Call(), staging.Source(), Params(), artifacts, CancellationToken.None);

        var deployed = (await staging.GetFlowsAsync()).Flows;
        ((string?)deployed[0]!["label"]).ShouldBe("From dev");
        var shown = await staging.GetCredentialsAsync("mqtt-broker", "b1");
        ((string?)shown["user"]).ShouldBe("staging-user");
        ((bool?)shown["has_password"]).ShouldBe(true);
        JsonNode.DeepEquals(staging.CredentialsFile(), new JsonObject { ["b1"] = Credentials("staging-user", "staging-pass") })
            .ShouldBeTrue(staging.CredentialsFile().ToJsonString());
        File.ReadAllText(Path.Combine(staging.Root, "flows.json")).ShouldNotContain("dev-");
        (await File.ReadAllTextAsync(Path.Combine(staging.Root, "settings.js"))).ShouldBe(settings);
        ((string?)(await dev.GetCredentialsAsync("mqtt-broker", "b1"))["user"]).ShouldBe("dev-user");
    }

    [NodeRedFact]
    public async Task PutAsync_DropsCredentials_WhenFlowsFileCarriesThem()
    {
        var staging = await StartAsync();
        await staging.DeployAsync(BrokerFlows("Staging", Credentials("staging-user", "staging-pass")));
        var artifacts = Directory.CreateDirectory(Path.Combine(_root, "exported", "dev-flows")).FullName;
        File.WriteAllText(Path.Combine(artifacts, "flows.json"), BrokerFlows("Exported with credentials", Credentials("dev-user", "dev-pass")).ToJsonString());

        await _type.PutAsync(Call(), staging.Source(), Params(), Path.GetDirectoryName(artifacts)!, CancellationToken.None);

        ((string?)(await staging.GetFlowsAsync()).Flows[0]!["label"]).ShouldBe("Exported with credentials");
        JsonNode.DeepEquals(staging.CredentialsFile(), new JsonObject { ["b1"] = Credentials("staging-user", "staging-pass") })
            .ShouldBeTrue(staging.CredentialsFile().ToJsonString());
    }

    [NodeRedFact]
    public async Task CheckAsync_RecordsSourceNodeList_BesideSnapshot()
    {
        var dev = await StartAsync(new NodeRedOptions(UserDir: NodeRedShoutModule.Install));
        await dev.DeployAsync(NodeRedShoutModule.Flows("Shouting"));

        var version = (await _type.CheckAsync(Call(), dev.Source(), null, CancellationToken.None)).Single();

        var nodes = await new SnapshotCache(Path.Combine(_root, "cache")).TryLoadNodesAsync(version.Version["snapshot"], CancellationToken.None);
        var shout = NodeModules.Parse(nodes!).Where(s => s.Types.Contains("ferry-shout")).ShouldHaveSingleItem();
        shout.ShouldBe(new NodeSet("node-red-contrib-ferry-shout", "1.2.3", shout.Types, true));
    }

    [NodeRedFact]
    public async Task PutAsync_RefusesBeforeDeployingNamingModules_WhenTargetLacksThem()
    {
        var dev = await StartAsync(new NodeRedOptions(UserDir: NodeRedShoutModule.Install));
        var staging = await StartAsync();
        await dev.DeployAsync(NodeRedShoutModule.Flows("Shouting"));
        await staging.DeployAsync(BrokerFlows("Staging"));
        var before = await staging.GetFlowsAsync();
        var artifacts = await GetAsync(dev, dev.Source());

        var error = await Should.ThrowAsync<ResourceException>(() => _type.PutAsync(Call(), staging.Source(), Params(), artifacts, CancellationToken.None));

        error.IsRetryable.ShouldBeFalse();
        error.Message.ShouldStartWith($"node-red put: {staging.Url} lacks node modules the flows use: node-red-contrib-ferry-shout@1.2.3 (ferry-shout).");
        error.Message.ShouldContain("nothing was deployed");
        (await staging.GetFlowsAsync()).Rev.ShouldBe(before.Rev);
    }

    [Fact]
    public void Missing_NamesModulesByType_AndLeavesOutCoreTypesAndPresentOnes()
    {
        var flows = JsonNode.Parse("""
            [
              {"id": "t1", "type": "tab"}, {"id": "sf", "type": "subflow"}, {"id": "i1", "type": "subflow:sf", "z": "t1"},
              {"id": "g1", "type": "group", "z": "t1"}, {"id": "j1", "type": "junction", "z": "t1"}, {"id": "c1", "type": "comment", "z": "t1"},
              {"id": "n1", "type": "inject", "z": "t1"}, {"id": "m1", "type": "moment", "z": "sf"}, {"id": "h1", "type": "humanizer", "z": "t1"},
              {"id": "x1", "type": "mystery", "z": "t1"}, {"id": "d1", "type": "disabled-here", "z": "t1"}
            ]
            """)!.AsArray();
        NodeSet[] source =
        [
            new("node-red", "4.1.0", ["inject", "debug"], true),
            new("node-red-contrib-moment", "5.0.0", ["moment", "humanizer"], true),
            new("node-red-contrib-off", "0.1.0", ["disabled-here"], true),
        ];
        NodeSet[] target = [new("node-red", "4.0.0", ["inject", "debug"], true), new("node-red-contrib-off", "0.1.0", ["disabled-here"], false)];

        NodeModules.Missing(flows, source, target).Select(m => m.ToString()).ShouldBe(
        [
            "node-red-contrib-moment@5.0.0 (humanizer, moment)",
            "node-red-contrib-off@0.1.0 (disabled-here)",
            "an unknown module (mystery)",
        ]);
        NodeModules.Missing(flows, source, source).Select(m => m.ToString()).ShouldBe(["an unknown module (mystery)"]);
        NodeModules.Missing(flows, null, target).Select(m => m.ToString()).ShouldBe(["an unknown module (disabled-here, humanizer, moment, mystery)"]);
    }
}
