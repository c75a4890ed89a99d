using System.Text.Json.Nodes;
using Ferry.Engine.Resources;
using Ferry.Engine.Resources.NodeRed;
using Ferry.Tests.LocalServers;
using static Ferry.Tests.LocalServers.TestFlows;

namespace Ferry.Engine.Tests.Resources;

/// <summary>
/// The put's guard against overwriting hand edits made after a promotion was decided, against a real Node-RED: the
/// rev the instance gave the deployed snapshot settles it at once while the instance still answers it; any other rev
/// is judged by the flows' shape, so an edit of environment values alone deploys and any other edit is refused.
/// </summary>
public sealed class NodeRedDriftGuardTests : IAsyncLifetime
{
    private readonly NodeRedResourceType _type = new();
    private readonly string _root = Directory.CreateTempSubdirectory("ferry-node-red-guard-").FullName;
    private NodeRedInstance? _staging;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_staging is not null)
            await _staging.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    private ResourceCall Call() => new(TextWriter.Null, new Dictionary<string, string>(), Path.Combine(_root, "cache"));

    private string Artifacts(JsonArray flows)
    {
        var root = Directory.CreateDirectory(Path.Combine(_root, "artifacts-" + Guid.NewGuid().ToString("N")[..6], "dev")).Parent!.FullName;
        File.WriteAllText(Path.Combine(root, "dev", "flows.json"), flows.ToJsonString());
        return root;
    }

    /// <summary>Ferry deploys inject <paramref name="name"/> into staging, as a promotion would; the version it reports.</summary>
    private async Task<(string Rev, string Snapshot, string Shape)> DeployAsync(string name, JsonObject? expect = null)
    {
        var @params = new JsonObject { ["flows"] = "dev/flows.json" };
        foreach (var (key, value) in expect ?? [])
            @params[key] = value?.DeepClone();
        var version = await _type.PutAsync(Call(), _staging!.Source(), @params, Artifacts(Orders(Env("API_URL", "http://dev"), name)), CancellationToken.None);
        var snapshot = version.Version["snapshot"];
        var shape = await new SnapshotCache(Path.Combine(_root, "cache")).TryLoadShapeAsync(snapshot, CancellationToken.None);
        return (version.Version["rev"], snapshot, shape.ShouldNotBeNull());
    }

    private static JsonObject Expect((string Rev, string Snapshot, string Shape) deployed) => new()
    {
        ["expect_rev"] = deployed.Rev,
        ["expect_snapshot"] = deployed.Snapshot,
        ["expect_shape"] = deployed.Shape,
    };

    [NodeRedFact]
    public async Task PutAsync_KeepsTheDeployedFlowsShape_ForTheDeployToBeRecordedWithoutHashingAgain()
    {
        _staging = await NodeRedInstance.StartAsync();
        await _staging.DeployAsync(Orders(Env("API_URL", "http://staging")));

        var (rev, _, shape) = await DeployAsync("v1");

        var live = await _staging.GetFlowsAsync();
        live.Rev.ShouldBe(rev);
        shape.ShouldBe(DriftGuard.ShapeOf(live.Flows));
    }

    [NodeRedFact]
    public async Task PutAsync_Deploys_WhenTheInstanceStillRunsTheDeployedRev()
    {
        _staging = await NodeRedInstance.StartAsync();
        await _staging.DeployAsync(Orders(Env("API_URL", "http://staging")));
        var v1 = await DeployAsync("v1");

        await DeployAsync("v2", Expect(v1));

        ((string?)Node((await _staging.GetFlowsAsync()).Flows, "n1")["name"]).ShouldBe("v2");
    }

    [NodeRedFact]
    public async Task PutAsync_Deploys_WhenTheRevMovedByAnEditOfEnvValuesAlone()
    {
        _staging = await NodeRedInstance.StartAsync();
        await _staging.DeployAsync(Orders(Env("API_URL", "http://staging")));
        var v1 = await DeployAsync("v1");
        await _staging.DeployAsync(Orders(Env("API_URL", "http://staging-by-hand"), "v1"));
        (await _staging.GetFlowsAsync()).Rev.ShouldNotBe(v1.Rev);

        await DeployAsync("v2", Expect(v1));

        var deployed = (await _staging.GetFlowsAsync()).Flows;
        ((string?)Node(deployed, "n1")["name"]).ShouldBe("v2");
        ((string?)Node(deployed, "t1")["env"]![0]!["value"]).ShouldBe("http://staging-by-hand");
    }

    [NodeRedFact]
    public async Task PutAsync_FailsWithoutDeploying_WhenTheFlowsWereEditedAfterTheDeployItExpects()
    {
        _staging = await NodeRedInstance.StartAsync();
        await _staging.DeployAsync(Orders(Env("API_URL", "http://staging")));
        var v1 = await DeployAsync("v1");
        await _staging.DeployAsync(Orders(Env("API_URL", "http://staging"), "edited-by-hand"));

        var error = await Should.ThrowAsync<ResourceException>(() => DeployAsync("v2", Expect(v1)));

        error.IsRetryable.ShouldBeFalse();
        error.Message.ShouldContain("was changed by hand since Ferry deployed there");
        error.Message.ShouldContain("'edited-by-hand'");
        ((string?)Node((await _staging.GetFlowsAsync()).Flows, "n1")["name"]).ShouldBe("edited-by-hand");
    }

    [Fact]
    public void Unchanged_TrustsTheRev_AndJudgesAnyOtherRevByTheShape()
    {
        var deployed = Orders(Env("API_URL", "http://staging"), "v1");
        var shape = DriftGuard.ShapeOf(deployed);
        var edited = Orders(Env("API_URL", "http://staging"), "edited");

        // Node-RED's rev is the SHA-256 of the flows it runs: the same rev cannot come with other flows.
        DriftGuard.Unchanged(new DeployedFlows("rev-1", deployed), shape, "rev-1").ShouldBeTrue();
        DriftGuard.Unchanged(new DeployedFlows("rev-2", Orders(Env("API_URL", "http://elsewhere"), "v1")), shape, "rev-1").ShouldBeTrue();
        DriftGuard.Unchanged(new DeployedFlows("rev-2", edited), shape, "rev-1").ShouldBeFalse();
        DriftGuard.Unchanged(new DeployedFlows("rev-1", edited), shape, null).ShouldBeFalse();
    }
}
