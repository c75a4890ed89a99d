using Ferry.Tests.LocalServers;
using System.Text.Json.Nodes;
using Ferry.Core.Versions;
using Ferry.Engine.Resources;
using Ferry.Engine.Resources.NodeRed;
using static Ferry.Tests.LocalServers.TestFlows;

namespace Ferry.Engine.Tests.Resources;

/// <summary>The node-red type against real Node-RED instances.</summary>
public sealed class NodeRedResourceTypeTests : IAsyncLifetime
{
    private readonly NodeRedResourceType _type = new();
    private readonly string _root = Directory.CreateTempSubdirectory("ferry-node-red-test-").FullName;
    private readonly List<NodeRedInstance> _instances = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var instance in _instances)
            await instance.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    private async Task<NodeRedInstance> StartAsync()
    {
        var instance = await NodeRedInstance.StartAsync();
        _instances.Add(instance);
        return instance;
    }

    private ResourceCall Call(string cache = "cache") => new(TextWriter.Null, new Dictionary<string, string>(), Path.Combine(_root, cache));

    private string NewDirectory(string name) => Directory.CreateDirectory(Path.Combine(_root, name)).FullName;

    /// <summary>A tab with an inject wired to a debug, the tab's env and a global-config env.</summary>
    private static JsonArray Flows(string label, string tabEnv, string globalEnv = "") => JsonNode.Parse($$"""
        [
          {"id": "t1", "type": "tab", "label": "{{label}}", "env": [{{tabEnv}}]},
          {"id": "n1", "type": "inject", "z": "t1", "name": "tick", "props": [], "repeat": "", "once": false, "wires": [["n2"]]},
          {"id": "n2", "type": "debug", "z": "t1", "name": "out", "active": true, "wires": []},
          {"id": "g1", "type": "global-config", "env": [{{globalEnv}}], "modules": { } }
        ]
        """)!.AsArray();

    private static IReadOnlyList<(string, string)> EnvOf(JsonArray flows, string id) =>
        [.. (Node(flows, id)["env"] as JsonArray ?? []).Select(e => ((string)e!["name"]!, (string)e["value"]!))];

    private static JsonObject Params(string flows, string? envKeys = null)
    {
        var @params = new JsonObject { ["flows"] = flows };
        if (envKeys is not null)
            @params["env_keys"] = envKeys;
        return @params;
    }

    /// <summary>Writes flows as the artifact <c>dev/flows.json</c>; returns the artifacts root.</summary>
    private string Artifacts(JsonArray flows)
    {
        var root = NewDirectory("artifacts-" + Guid.NewGuid().ToString("N")[..6]);
        Directory.CreateDirectory(Path.Combine(root, "dev"));
        File.WriteAllText(Path.Combine(root, "dev", "flows.json"), flows.ToJsonString());
        return root;
    }

    [NodeRedFact]
    public async Task CheckAsync_FindsNewSnapshot_WhenFlowsChange()
    {
        var dev = await StartAsync();
        var first = (await _type.CheckAsync(Call(), dev.Source(), null, CancellationToken.None)).ShouldHaveSingleItem();
        await dev.DeployAsync(Flows("Main", Env("API_URL", "http://dev") + "," + Env("DEBUG", "1"), Env("REGION", "eu")));

        var versions = await _type.CheckAsync(Call(), dev.Source(), first, CancellationToken.None);

        var changed = versions.ShouldHaveSingleItem();
        changed.Version["snapshot"].ShouldNotBe(first.Version["snapshot"]);
        changed.Version["rev"].ShouldBe((await dev.GetFlowsAsync()).Rev);
        changed.Metadata.ShouldBe([new MetadataField("tabs", "1"), new MetadataField("nodes", "4"), new MetadataField("env_keys", "API_URL, DEBUG, REGION")]);
        File.Exists(Path.Combine(_root, "cache", "node-red", changed.Version["snapshot"] + ".json")).ShouldBeTrue();
        (await _type.CheckAsync(Call(), dev.Source(), changed, CancellationToken.None)).ShouldBe([changed]);
    }

    [NodeRedFact]
    public async Task GetAsync_WritesFlowsAndEnvKeys_WhenInstanceMovedOnSinceCheck()
    {
        var dev = await StartAsync();
        var flows = Flows("Main", Env("B_KEY", "b") + "," + Env("A_KEY", "a"), Env("REGION", "eu"));
        await dev.DeployAsync(flows);
        var version = (await _type.CheckAsync(Call(), dev.Source(), null, CancellationToken.None)).Single();
        await dev.DeployAsync(Flows("Changed later", ""));
        var directory = NewDirectory("get");

        var got = await _type.GetAsync(Call(), dev.Source(), version, [], directory, CancellationToken.None);

        got.ShouldBe(version);
        var written = JsonNode.Parse(File.ReadAllText(Path.Combine(directory, "flows.json")))!.AsArray();
        JsonNode.DeepEquals(written, flows).ShouldBeTrue(written.ToJsonString());
        JsonNode.Parse(File.ReadAllText(Path.Combine(directory, "env-keys.json")))!.AsArray().Select(k => (string)k!)
            .ShouldBe(["A_KEY", "B_KEY", "REGION"]);
    }

    [NodeRedFact]
    public async Task GetAsync_FetchesLive_WhenNotCachedButStillCurrent()
    {
        var dev = await StartAsync();
        await dev.DeployAsync(Flows("Main", Env("API_URL", "x")));
        var version = (await _type.CheckAsync(Call("checker-cache"), dev.Source(), null, CancellationToken.None)).Single();
        var directory = NewDirectory("get");

        await _type.GetAsync(Call("worker-cache"), dev.Source(), version, [], directory, CancellationToken.None);

        File.ReadAllText(Path.Combine(directory, "env-keys.json")).ShouldContain("API_URL");
        File.Exists(Path.Combine(_root, "worker-cache", "node-red", version.Version["snapshot"] + ".json")).ShouldBeTrue();
    }

    [NodeRedFact]
    public async Task GetAsync_ThrowsTerminalNamingVersion_WhenSnapshotNeitherCachedNorCurrent()
    {
        var dev = await StartAsync();
        await dev.DeployAsync(Flows("Main", Env("API_URL", "x")));
        var version = (await _type.CheckAsync(Call("checker-cache"), dev.Source(), null, CancellationToken.None)).Single();
        await dev.DeployAsync(Flows("Moved on", ""));

        var error = await Should.ThrowAsync<ResourceException>(() =>
            _type.GetAsync(Call("worker-cache"), dev.Source(), version, [], NewDirectory("get"), CancellationToken.None));

        error.IsRetryable.ShouldBeFalse();
        error.Message.ShouldContain($"snapshot {version.Version["snapshot"]} (rev {version.Version["rev"]})");
    }

    [NodeRedFact]
    public async Task PutAsync_KeepsTargetValuesAndAddsNewKeysEmpty_WhenKeysOnly()
    {
        var staging = await StartAsync();
        await staging.DeployAsync(Flows("Old", Env("API_URL", "http://staging") + "," + Env("OLD_KEY", "gone")));
        var source = Flows("Main", Env("API_URL", "http://dev") + "," + Env("NEW_KEY", "dev-value"), Env("REGION", "eu"));

        var version = await _type.PutAsync(Call(), staging.Source(), Params("dev/flows.json"), Artifacts(source), CancellationToken.None);

        var (rev, deployed) = await staging.GetFlowsAsync();
        version.Version["rev"].ShouldBe(rev);
        version.Version["snapshot"].ShouldBe(FlowSnapshot.Of(deployed).Hash);
        EnvOf(deployed, "t1").ShouldBe([("API_URL", "http://staging"), ("NEW_KEY", "")]);
        EnvOf(deployed, "g1").ShouldBe([("REGION", "")]);
        ((string?)Node(deployed, "t1")["label"]).ShouldBe("Main");
        deployed.Select(n => (string?)n!["id"]).ShouldBe(["t1", "n1", "n2", "g1"]);
        JsonNode.DeepEquals(Node(deployed, "n1"), Node(source, "n1")).ShouldBeTrue();
    }

    [NodeRedFact]
    public async Task PutAsync_GivesNewKeysTheSourceValue_WhenMerge()
    {
        var staging = await StartAsync();
        await staging.DeployAsync(Flows("Old", Env("API_URL", "http://staging")));
        var source = Flows("Main", Env("API_URL", "http://dev") + "," + Env("NEW_KEY", "dev-value"));

        await _type.PutAsync(Call(), staging.Source(), Params("dev/flows.json", "merge"), Artifacts(source), CancellationToken.None);

        EnvOf((await staging.GetFlowsAsync()).Flows, "t1").ShouldBe([("API_URL", "http://staging"), ("NEW_KEY", "dev-value")]);
    }

    [NodeRedFact]
    public async Task PutAsync_KeepsTargetEnvExactly_WhenNone()
    {
        var staging = await StartAsync();
        await staging.DeployAsync(Flows("Old", Env("API_URL", "http://staging") + "," + Env("OLD_KEY", "kept")));
        var source = Flows("Main", Env("API_URL", "http://dev") + "," + Env("NEW_KEY", "dev-value"), Env("REGION", "eu"));

        await _type.PutAsync(Call(), staging.Source(), Params("dev/flows.json", "none"), Artifacts(source), CancellationToken.None);

        var deployed = (await staging.GetFlowsAsync()).Flows;
        EnvOf(deployed, "t1").ShouldBe([("API_URL", "http://staging"), ("OLD_KEY", "kept")]);
        EnvOf(deployed, "g1").ShouldBeEmpty();
        ((string?)Node(deployed, "t1")["label"]).ShouldBe("Main");
    }

    [NodeRedFact]
    public async Task PutAsync_RereadsAndRetriesOnce_WhenRevGoesStale()
    {
        var staging = await StartAsync();
        await staging.DeployAsync(Flows("Old", Env("API_URL", "http://staging")));
        // Someone sets staging's API_URL while Ferry deploys: the retry must keep that newer value.
        using var proxy = new RacingDeployProxy(staging, _ => Flows("Old", Env("API_URL", "http://staging-2")), races: 1);
        var source = Flows("Main", Env("API_URL", "http://dev"));

        var version = await _type.PutAsync(Call(), new JsonObject { ["url"] = proxy.Url }, Params("dev/flows.json"), Artifacts(source), CancellationToken.None);

        proxy.DeployAnswers.ShouldBe([409, 200]);
        var (rev, deployed) = await staging.GetFlowsAsync();
        version.Version["rev"].ShouldBe(rev);
        EnvOf(deployed, "t1").ShouldBe([("API_URL", "http://staging-2")]);
        ((string?)Node(deployed, "t1")["label"]).ShouldBe("Main");
    }

    [NodeRedFact]
    public async Task PutAsync_GivesANewKeyTheSourceValue_WhenMergeRetriesAfterTheTargetDroppedTheKey()
    {
        var staging = await StartAsync();
        await staging.DeployAsync(Flows("Old", Env("API_URL", "http://staging")));
        // The first attempt carries staging's API_URL into the flows; then someone removes the key from staging, so the
        // retry must give it the source's value (merge), not what the first attempt carried.
        using var proxy = new RacingDeployProxy(staging, _ => Flows("Old", Env("OTHER", "x")), races: 1);
        var source = Flows("Main", Env("API_URL", "http://dev"));

        await _type.PutAsync(Call(), new JsonObject { ["url"] = proxy.Url }, Params("dev/flows.json", "merge"), Artifacts(source), CancellationToken.None);

        proxy.DeployAnswers.ShouldBe([409, 200]);
        EnvOf((await staging.GetFlowsAsync()).Flows, "t1").ShouldBe([("API_URL", "http://dev")]);
    }

    [NodeRedFact]
    public async Task PutAsync_ThrowsRetryable_WhenRevGoesStaleTwice()
    {
        var staging = await StartAsync();
        var race = 0;
        using var proxy = new RacingDeployProxy(staging, _ => Flows("Someone else " + ++race, ""), races: 2);

        var error = await Should.ThrowAsync<ResourceException>(() =>
            _type.PutAsync(Call(), new JsonObject { ["url"] = proxy.Url }, Params("dev/flows.json"), Artifacts(Flows("Main", "")), CancellationToken.None));

        error.IsRetryable.ShouldBeTrue();
        error.Message.ShouldContain("409 twice");
        proxy.DeployAnswers.ShouldBe([409, 409]);
        ((string?)Node((await staging.GetFlowsAsync()).Flows, "t1")["label"]).ShouldBe("Someone else 2");
    }

    [Fact]
    public async Task PutAsync_ThrowsConfigError_WhenTheFlowsFileIsMissing_EvenWhileTheInstanceIsAsked()
    {
        // The instance is asked for its node sets and flows while flows.json is read; the file's error is the answer.
        var error = await Should.ThrowAsync<ResourceConfigException>(() =>
            _type.PutAsync(Call(), new JsonObject { ["url"] = "http://127.0.0.1:9/" }, Params("dev/missing.json"), Artifacts(Flows("Main", "")),
                CancellationToken.None));

        error.Message.ShouldStartWith("params.flows: 'dev/missing.json' not found under the build's artifacts");
    }

    [Fact]
    public async Task CheckAsync_ThrowsConfigError_WhenUrlIsNotHttp()
    {
        var error = await Should.ThrowAsync<ResourceConfigException>(() =>
            _type.CheckAsync(Call(), new JsonObject { ["url"] = "ftp://127.0.0.1/" }, null, CancellationToken.None));

        error.Message.ShouldBe("source.url: 'ftp://127.0.0.1/' is not an http(s) URL of a Node-RED instance");
    }

    [Fact]
    public async Task CheckAsync_ThrowsRetryable_WhenNothingListens()
    {
        var error = await Should.ThrowAsync<ResourceException>(() =>
            _type.CheckAsync(Call(), new JsonObject { ["url"] = "http://127.0.0.1:9/" }, null, CancellationToken.None));

        error.IsRetryable.ShouldBeTrue();
        error.Message.ShouldStartWith("node-red: GET http://127.0.0.1:9/flows failed");
    }
}
