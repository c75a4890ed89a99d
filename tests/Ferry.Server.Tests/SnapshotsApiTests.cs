using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Ferry.Tests.LocalServers;

namespace Ferry.Server.Tests;

/// <summary>
/// Snapshots and drift through the API, with a server of its own (loops on) and two real Node-RED instances: the
/// snapshots Ferry deployed, drift in the environments and the preview with its diff, a 409 for a push onto a
/// drifted instance until <c>force: true</c>, diffs of any two snapshots, a rollback to one, and who may do which.
/// </summary>
public sealed class SnapshotsApiTests : IAsyncLifetime
{
    private const string P = "flows";
    private readonly List<NodeRedInstance> _instances = [];
    private FerryHost _host = null!;
    private NodeRedInstance _dev = null!;
    private NodeRedInstance _staging = null!;

    public async Task InitializeAsync()
    {
        if (NodeRedInstance.SkipReason is not null)
            return;
        _instances.Add(_dev = await NodeRedInstance.StartAsync());
        _instances.Add(_staging = await NodeRedInstance.StartAsync());
        _host = await FerryHost.StartAsync(o => o with { RunLoops = true });
        await _dev.DeployAsync(Flows("out"));
        await _host.SetPipelineAsync(P, $$"""
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
        await CurrentAsync("development", "r1");
        (await SendAsync(HttpMethod.Post, $"/api/v1/pipelines/{P}/environments/staging/promotions", new JsonObject { ["release"] = "r1" }))
            .Status.ShouldBe(HttpStatusCode.Created);
        await CurrentAsync("staging", "r1");
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
            await _host.DisposeAsync();
        foreach (var instance in _instances)
            await instance.DisposeAsync();
    }

    private static JsonArray Flows(string debugName) => JsonNode.Parse($$"""
        [
          {"id": "t1", "type": "tab", "label": "Orders"},
          {"id": "n1", "type": "inject", "z": "t1", "name": "tick", "props": [], "repeat": "", "once": false, "wires": [["n2"]]},
          {"id": "n2", "type": "debug", "z": "t1", "name": "{{debugName}}", "active": true, "wires": []}
        ]
        """)!.AsArray();

    private string Staging(string path) => $"/api/v1/pipelines/{P}/environments/staging/{path}";

    [NodeRedFact]
    public async Task Promote_Answers409WithTheDrift_WhenStagingWasEditedByHand_AndForceTrueOverwritesIt()
    {
        var deployed = (await _host.GetJsonAsync(Staging("snapshots"))).AsArray().ShouldHaveSingleItem()!;
        (deployed["kind"]!.GetValue<string>(), deployed["release"]!.GetValue<string>(), deployed["by"]!.GetValue<string>(), deployed["forced"]!.GetValue<bool>())
            .ShouldBe(("deployed", "r1", "manual promotion by admin", false));
        (await SendAsync(HttpMethod.Get, Staging("drift"))).Status.ShouldBe(HttpStatusCode.NoContent);

        await _staging.DeployAsync(Flows("hand-edited"));
        await _dev.DeployAsync(Flows("v2"));
        await CurrentAsync("development", "r2");

        var (previewStatus, preview) = await SendAsync(HttpMethod.Post, Staging("promotions"), new JsonObject { ["release"] = "r2", ["dryRun"] = true });
        previewStatus.ShouldBe(HttpStatusCode.OK);
        preview["refusal"]!["kind"]!.GetValue<string>().ShouldBe("instance_drifted");
        var changed = preview["drift"]!["diff"]!["groups"]!.AsArray().ShouldHaveSingleItem()!["changed"]!.AsArray().ShouldHaveSingleItem()!;
        (changed["id"]!.GetValue<string>(), changed["name"]!.GetValue<string>()).ShouldBe(("n2", "hand-edited"));
        changed["properties"]!.AsArray().Select(p => p!.GetValue<string>()).ShouldBe(["name"]);

        var (refusedStatus, refused) = await SendAsync(HttpMethod.Post, Staging("promotions"), new JsonObject { ["release"] = "r2" });
        refusedStatus.ShouldBe(HttpStatusCode.Conflict);
        refused["detail"]!.GetValue<string>().ShouldContain("changed by hand since Ferry deployed r1");
        var staging = (await _host.GetJsonAsync($"/api/v1/pipelines/{P}/environments")).AsArray().Single(e => e!["name"]!.GetValue<string>() == "staging")!;
        staging["drift"]!["deployed"]!.GetValue<string>().ShouldBe("r1");
        staging["drift"]!["changes"]!.GetValue<string>().ShouldContain("debug 'hand-edited' changed (name)");
        var drift = await _host.GetJsonAsync(Staging("drift"));
        drift["deployedSnapshot"]!.GetValue<string>().ShouldBe(deployed["snapshot"]!.GetValue<string>());

        var (forcedStatus, forced) = await SendAsync(HttpMethod.Post, Staging("promotions"), new JsonObject { ["release"] = "r2", ["force"] = true });
        forcedStatus.ShouldBe(HttpStatusCode.Created, forced.ToJsonString());
        await CurrentAsync("staging", "r2");
        (await SendAsync(HttpMethod.Get, Staging("drift"))).Status.ShouldBe(HttpStatusCode.NoContent);
        var newest = (await _host.GetJsonAsync(Staging("snapshots"))).AsArray()[0]!;
        (newest["release"]!.GetValue<string>(), newest["forced"]!.GetValue<bool>()).ShouldBe(("r2", true));
        var audit = (await _host.GetJsonAsync($"/api/v1/audit?pipeline={P}")).AsArray();
        audit.ShouldContain(a => a!["action"]!.GetValue<string>() == "drift_overwritten" && a["actor"]!.GetValue<string>() == "admin");
    }

    [NodeRedFact]
    public async Task Snapshots_DiffTwoAndRollBack_WithTheRightsOfEachRole()
    {
        await _dev.DeployAsync(Flows("v2"));
        await CurrentAsync("development", "r2");
        (await SendAsync(HttpMethod.Post, Staging("promotions"), new JsonObject { ["release"] = "r2" })).Status.ShouldBe(HttpStatusCode.Created);
        await CurrentAsync("staging", "r2");
        var snapshots = (await _host.GetJsonAsync(Staging("snapshots"))).AsArray().Select(s => s!["snapshot"]!.GetValue<string>()).ToList();
        snapshots.Count.ShouldBe(2);

        var diff = await _host.GetJsonAsync(Staging($"snapshots/diff?from={snapshots[1][..8]}&to={snapshots[0]}"));
        diff["summary"]!.GetValue<string>().ShouldBe("0 added, 0 removed, 1 changed");
        diff["diff"]!["groups"]![0]!["label"]!.GetValue<string>().ShouldBe("Orders");
        (await _host.GetJsonAsync(Staging($"snapshots/diff?from={snapshots[0]}")))["summary"]!.GetValue<string>().ShouldBe("no change");
        var (missingStatus, missing) = await SendAsync(HttpMethod.Get, Staging("snapshots/diff?to=live"));
        missingStatus.ShouldBe(HttpStatusCode.BadRequest);
        missing["detail"]!.GetValue<string>().ShouldContain("from");
        (await SendAsync(HttpMethod.Get, Staging("snapshots/diff?from=ffffffff"))).Status.ShouldBe(HttpStatusCode.NotFound);

        var viewer = await _host.TokenAsync("vera", "main:viewer");
        (await SendAsync(HttpMethod.Get, Staging("snapshots"), token: viewer)).Status.ShouldBe(HttpStatusCode.OK);
        var (forbiddenStatus, forbidden) = await SendAsync(HttpMethod.Post, Staging($"snapshots/{snapshots[1]}/rollback"), token: viewer);
        forbiddenStatus.ShouldBe(HttpStatusCode.Forbidden);
        forbidden["detail"]!.GetValue<string>().ShouldContain("operator");
        (await SendAsync(HttpMethod.Post, Staging("snapshots"), new JsonObject(), token: viewer)).Status.ShouldBe(HttpStatusCode.Forbidden);

        var (takenStatus, taken) = await SendAsync(HttpMethod.Post, Staging("snapshots"), new JsonObject());
        takenStatus.ShouldBe(HttpStatusCode.OK);
        (taken["kind"]!.GetValue<string>(), taken["by"]!.GetValue<string>(), taken["snapshot"]!.GetValue<string>()).ShouldBe(("taken", "admin", snapshots[0]));
        var (notDeployedStatus, notDeployed) = await SendAsync(HttpMethod.Post, $"/api/v1/pipelines/{P}/environments/development/snapshots/{snapshots[0]}/rollback");
        notDeployedStatus.ShouldBe(HttpStatusCode.BadRequest, notDeployed.ToJsonString());

        var (rollbackStatus, rollback) = await SendAsync(HttpMethod.Post, Staging($"snapshots/{snapshots[1][..10]}/rollback"));
        rollbackStatus.ShouldBe(HttpStatusCode.Created, rollback.ToJsonString());
        (rollback["trigger"]!.GetValue<string>(), rollback["release"]!.GetValue<string>()).ShouldBe(("rollback", "r1"));
        await CurrentAsync("staging", "r1");
        var held = (await _host.GetJsonAsync($"/api/v1/pipelines/{P}/environments")).AsArray().Single(e => e!["name"]!.GetValue<string>() == "staging")!;
        held["hold"]!["reason"]!.GetValue<string>().ShouldContain("r1");
        (await _staging.GetFlowsAsync()).Flows.OfType<JsonObject>().Single(n => (string?)n["id"] == "n2")["name"]!.GetValue<string>().ShouldBe("out");
    }

    private async Task<(HttpStatusCode Status, JsonNode Body)> SendAsync(HttpMethod method, string path, JsonNode? body = null, string? token = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : FerryHost.Json(body) };
        if (token is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await _host.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? new JsonObject() : JsonNode.Parse(text)!);
    }

    /// <summary>Until the environment's current release is <paramref name="release"/>, its promotion succeeded.</summary>
    private async Task CurrentAsync(string environment, string release)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var found = (await _host.GetJsonAsync($"/api/v1/pipelines/{P}/environments")).AsArray().Single(e => e!["name"]!.GetValue<string>() == environment)!;
            if (found["current"]?["name"]?.GetValue<string>() == release && found["status"]?.GetValue<string>() == "succeeded")
                return;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"{release} did not become current in {environment} within 60 s: {found.ToJsonString()}");
            await Task.Delay(200);
        }
    }
}
