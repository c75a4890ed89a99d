using Ferry.Tests.LocalServers;
using System.Text.Json.Nodes;
using Ferry.Engine.Resources;
using Ferry.Engine.Resources.NodeRed;

namespace Ferry.Engine.Tests.Resources;

/// <summary>The node-red type against each Node-RED major version in use: 3.1, 4 and 5 (on Node 22), all with adminAuth.</summary>
public sealed class NodeRedVersionsTests : IAsyncLifetime
{
    private readonly NodeRedResourceType _type = new();
    private readonly string _root = Directory.CreateTempSubdirectory("ferry-node-red-versions-").FullName;
    private readonly List<NodeRedInstance> _instances = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var instance in _instances)
            await instance.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    private ResourceCall Call() => new(TextWriter.Null, new Dictionary<string, string>(), Path.Combine(_root, "cache"));

    private static JsonArray Flows(string label, string apiUrl) => JsonNode.Parse($$"""
        [
          {"id": "t1", "type": "tab", "label": "{{label}}", "env": [{"name": "API_URL", "value": "{{apiUrl}}", "type": "str"}]},
          {"id": "n1", "type": "inject", "z": "t1", "name": "tick", "props": [], "repeat": "", "once": false, "wires": [["n2"]]},
          {"id": "n2", "type": "change", "z": "t1", "name": "", "rules": [{"t": "set", "p": "payload", "pt": "msg", "to": "API_URL", "tot": "env"}], "wires": [["n3"]]},
          {"id": "n3", "type": "debug", "z": "t1", "name": "out", "active": true, "wires": []}
        ]
        """)!.AsArray();

    private static IReadOnlyList<(string, string)> TabEnv(JsonArray flows) =>
        [.. flows.OfType<JsonObject>().Single(n => (string?)n["id"] == "t1")["env"]!.AsArray().Select(e => ((string)e!["name"]!, (string)e["value"]!))];

    [NodeRedVersionsTheory]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public async Task CheckGetPut_CarryFlowsAndKeepTargetValues_OnEachMajorVersion(int major)
    {
        var dev = await NodeRedInstance.StartAsync(new NodeRedOptions(major, AdminAuth: true));
        _instances.Add(dev);
        var staging = await NodeRedInstance.StartAsync(new NodeRedOptions(major, AdminAuth: true, AdminRoot: "/admin"));
        _instances.Add(staging);
        await dev.DeployAsync(Flows("Orders v2", "http://dev"));
        await staging.DeployAsync(Flows("Orders v1", "http://staging"));

        var version = (await _type.CheckAsync(Call(), dev.Source(), null, CancellationToken.None)).ShouldHaveSingleItem();
        var got = Directory.CreateDirectory(Path.Combine(_root, "artifacts", "dev-flows")).FullName;
        await _type.GetAsync(Call(), dev.Source(), version, [], got, CancellationToken.None);
        var put = await _type.PutAsync(Call(), staging.Source(), new JsonObject { ["flows"] = "dev-flows/flows.json" }, Path.Combine(_root, "artifacts"),
            CancellationToken.None);

        version.Version["rev"].ShouldBe((await dev.GetFlowsAsync()).Rev);
        File.Exists(Path.Combine(got, "nodes.json")).ShouldBeTrue();
        var (rev, deployed) = await staging.GetFlowsAsync();
        put.Version["rev"].ShouldBe(rev);
        ((string?)deployed.OfType<JsonObject>().Single(n => (string?)n["id"] == "t1")["label"]).ShouldBe("Orders v2");
        TabEnv(deployed).ShouldBe([("API_URL", "http://staging")]);
        deployed.Select(n => (string?)n!["id"]).ShouldBe(["t1", "n1", "n2", "n3"]);
    }
}
