using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Ferry.Tests.LocalServers;

namespace Ferry.Server.Tests;

/// <summary>
/// Stage edits through the API against a real Node-RED: each writes a new config version whose diff is the config
/// endpoint's; a refused one (a URL that is no Admin API, an unknown stage, the source moved or removed, a pipeline
/// that sets itself, a viewer) writes nothing.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class StagesApiTests(FerryHost host) : IAsyncLifetime
{
    private NodeRedInstance? _nodeRed;

    private string NodeRedUrl => _nodeRed!.Url;

    public async Task InitializeAsync()
    {
        if (NodeRedInstance.SkipReason is null)
            _nodeRed = await NodeRedInstance.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_nodeRed is not null)
            await _nodeRed.DisposeAsync();
    }

    private string TwoStages => $"""
        resources:
          - name: dev-flows
            type: node-red
            source: {"{"} url: "{NodeRedUrl}" {"}"}
        environments:
          - name: development
            instance: dev-flows
          - name: production
            from: [development]
            instance:
              type: node-red
              source: {"{"} url: "{NodeRedUrl}" {"}"}
            promote: manual

        """;

    private async Task<string> PipelineAsync(string yaml)
    {
        var name = "stages-" + Guid.NewGuid().ToString("N")[..8];
        await host.SetPipelineAsync(name, yaml);
        return name;
    }

    private async Task<(HttpStatusCode Status, JsonNode Body)> SendAsync(HttpMethod method, string path, JsonNode? body = null, string? token = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : FerryHost.Json(body) };
        if (token is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await host.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? new JsonObject() : JsonNode.Parse(text)!);
    }

    private async Task<int> ConfigVersionsAsync(string pipeline) => (await host.GetJsonAsync($"/api/v1/pipelines/{pipeline}/configs")).AsArray().Count;

    private static List<string> Strings(JsonNode? array) => [.. array!.AsArray().Select(n => n!.GetValue<string>())];

    [NodeRedFact]
    public async Task AddStage_WritesANewConfigVersionWithTheConfigDiff_WhenInsertedBeforeAStage()
    {
        var p = await PipelineAsync(TwoStages);

        var (status, change) = await SendAsync(HttpMethod.Post, $"/api/v1/pipelines/{p}/stages",
            new JsonObject { ["name"] = "staging", ["url"] = NodeRedUrl, ["before"] = "production", ["envKeys"] = "merge" });

        status.ShouldBe(HttpStatusCode.Created, change.ToJsonString());
        change["previousVersion"]!.GetValue<int>().ShouldBe(1);
        change["newVersion"]!.GetValue<int>().ShouldBe(2);
        change["summary"]!.GetValue<string>().ShouldBe("added stage staging before production");
        var version = await host.GetJsonAsync($"/api/v1/pipelines/{p}/configs/2");
        Strings(change["diff"]).ShouldBe(Strings(version["diff"]));
        Strings(change["diff"]).ShouldContain("+   - name: staging");
        Strings(change["diff"]).ShouldContain("+     from: [staging]");
        version["createdBy"]!.GetValue<string>().ShouldBe("admin");
        var stages = (await host.GetJsonAsync($"/api/v1/pipelines/{p}/stages")).AsArray();
        stages.Select(s => s!["name"]!.GetValue<string>()).ShouldBe(["development", "staging", "production"]);
        Strings(stages[2]!["from"]).ShouldBe(["staging"]);
        stages[1]!["envKeys"]!.GetValue<string>().ShouldBe("merge");
        stages[0]!["source"]!.GetValue<bool>().ShouldBeTrue();
        (await host.GetJsonAsync($"/api/v1/pipelines/{p}/audit")).ToJsonString().ShouldContain("config 2: added stage staging before production");
    }

    [NodeRedFact]
    public async Task Edits_GiveTheDiffAndStoreNothing_WhenADryRun()
    {
        var p = await PipelineAsync(TwoStages);

        var (added, add) = await SendAsync(HttpMethod.Post, $"/api/v1/pipelines/{p}/stages?dryRun=true",
            new JsonObject { ["name"] = "staging", ["url"] = NodeRedUrl, ["after"] = "development" });
        var (removed, remove) = await SendAsync(HttpMethod.Delete, $"/api/v1/pipelines/{p}/stages/production?dryRun=true");

        added.ShouldBe(HttpStatusCode.OK, add.ToJsonString());
        add["dryRun"]!.GetValue<bool>().ShouldBeTrue();
        add["changed"]!.GetValue<bool>().ShouldBeTrue();
        add["newVersion"]!.GetValue<int>().ShouldBe(2);
        Strings(add["diff"]).ShouldContain("+   - name: staging");
        removed.ShouldBe(HttpStatusCode.OK, remove.ToJsonString());
        remove["summary"]!.GetValue<string>().ShouldBe("removed stage production");
        Strings(remove["diff"]).ShouldContain("-   - name: production");
        (await ConfigVersionsAsync(p)).ShouldBe(1);
        (await host.GetJsonAsync($"/api/v1/pipelines/{p}/stages")).AsArray().Count.ShouldBe(2);
    }

    [NodeRedFact]
    public async Task AddStage_MakesTheSource_WhenThePipelineHasNoStage()
    {
        var p = await PipelineAsync("jobs:\n  - name: noop\n    plan: [{ task: t, config: { platform: linux, run: { path: \"true\" } } }]\n");

        var (status, change) = await SendAsync(HttpMethod.Post, $"/api/v1/pipelines/{p}/stages", new JsonObject { ["name"] = "development", ["url"] = NodeRedUrl });

        status.ShouldBe(HttpStatusCode.Created, change.ToJsonString());
        var config = (await host.GetJsonAsync($"/api/v1/pipelines/{p}"))["config"]!.GetValue<string>();
        config.ShouldContain("instance: development-flows");
        (await host.GetJsonAsync($"/api/v1/pipelines/{p}/resources")).ToJsonString().ShouldContain("development-flows");
    }

    [NodeRedFact]
    public async Task AddStage_KeepsTheTokenAsASecretVar_NeverInTheYaml()
    {
        var p = await PipelineAsync(TwoStages);

        var (status, change) = await SendAsync(HttpMethod.Post, $"/api/v1/pipelines/{p}/stages",
            new JsonObject { ["name"] = "staging", ["url"] = NodeRedUrl, ["after"] = "development", ["token"] = "tok-5ecret-42" });

        status.ShouldBe(HttpStatusCode.Created, change.ToJsonString());
        change.ToJsonString().ShouldNotContain("tok-5ecret-42");
        Strings(change["diff"]).ShouldContain("+ var staging-token");
        var pipeline = await host.GetJsonAsync($"/api/v1/pipelines/{p}");
        pipeline["config"]!.GetValue<string>().ShouldContain("token: ((staging-token))");
        pipeline.ToJsonString().ShouldNotContain("tok-5ecret-42");
        Strings(pipeline["varNames"]).ShouldBe(["staging-token"]);
        var stored = await host.Store.GetPipelineConfigAsync((await host.Store.GetPipelineAsync(p))!.Id);
        stored!.SecretVars.ShouldBe(["staging-token"]);
    }

    [NodeRedFact]
    public async Task AddStage_LogsInWithAUserAndKeepsThePasswordAsASecretVar_WhenTheInstanceHasAdminAuth()
    {
        await using var guarded = await NodeRedInstance.StartAsync(new NodeRedOptions(AdminAuth: true));
        var p = await PipelineAsync(TwoStages);

        var (wrong, problem) = await SendAsync(HttpMethod.Post, $"/api/v1/pipelines/{p}/stages", new JsonObject
            { ["name"] = "staging", ["url"] = guarded.Url, ["username"] = NodeRedInstance.AdminUser, ["password"] = "not-it" });
        var (status, change) = await SendAsync(HttpMethod.Post, $"/api/v1/pipelines/{p}/stages", new JsonObject
            { ["name"] = "staging", ["url"] = guarded.Url, ["username"] = NodeRedInstance.AdminUser, ["password"] = NodeRedInstance.AdminPassword });

        wrong.ShouldBe(HttpStatusCode.BadRequest, problem.ToJsonString());
        problem["field"]!.GetValue<string>().ShouldBe("password");
        status.ShouldBe(HttpStatusCode.Created, change.ToJsonString());
        change.ToJsonString().ShouldNotContain(NodeRedInstance.AdminPassword);
        var config = (await host.GetJsonAsync($"/api/v1/pipelines/{p}"))["config"]!.GetValue<string>();
        config.ShouldContain("password: ((staging-password))");
        config.ShouldNotContain(NodeRedInstance.AdminPassword);
        var stored = await host.Store.GetPipelineConfigAsync((await host.Store.GetPipelineAsync(p))!.Id);
        stored!.SecretVars.ShouldBe(["staging-password"]);
    }

    [NodeRedFact]
    public async Task MoveAndRemove_RewriteTheLinks_EachAsANewConfigVersion()
    {
        var p = await PipelineAsync(TwoStages);
        (await SendAsync(HttpMethod.Post, $"/api/v1/pipelines/{p}/stages", new JsonObject { ["name"] = "qa", ["url"] = NodeRedUrl })).Status
            .ShouldBe(HttpStatusCode.Created);

        var (moved, move) = await SendAsync(HttpMethod.Put, $"/api/v1/pipelines/{p}/stages/qa/position", new JsonObject { ["before"] = "production" });

        moved.ShouldBe(HttpStatusCode.OK, move.ToJsonString());
        move["newVersion"]!.GetValue<int>().ShouldBe(3);
        move["stages"]!.AsArray().Select(s => s!["name"]!.GetValue<string>()).ShouldBe(["development", "qa", "production"]);
        Strings(move["stages"]!.AsArray()[2]!["from"]).ShouldBe(["qa"]);

        var (removed, remove) = await SendAsync(HttpMethod.Delete, $"/api/v1/pipelines/{p}/stages/qa");

        removed.ShouldBe(HttpStatusCode.OK, remove.ToJsonString());
        remove["newVersion"]!.GetValue<int>().ShouldBe(4);
        remove["summary"]!.GetValue<string>().ShouldBe("removed stage qa; production now comes from development");
        Strings(remove["stages"]!.AsArray()[1]!["from"]).ShouldBe(["development"]);
        Strings(remove["diff"]).ShouldBe(Strings((await host.GetJsonAsync($"/api/v1/pipelines/{p}/configs/4"))["diff"]));
    }

    [NodeRedFact]
    public async Task Edits_AreRefusedNamingTheFieldAndWriteNothing_WhenTheyCannotBeMade()
    {
        var p = await PipelineAsync(TwoStages);
        var nothingListens = $"http://127.0.0.1:{LocalServerProcess.FreePort()}";
        var cases = new (HttpMethod Method, string Path, JsonObject? Body, HttpStatusCode Status, string Field, string Says)[]
        {
            (HttpMethod.Post, "stages", new() { ["name"] = "staging", ["url"] = nothingListens }, HttpStatusCode.BadRequest, "url", nothingListens),
            (HttpMethod.Post, "stages", new() { ["name"] = "staging", ["url"] = NodeRedUrl + "/no-admin-here" }, HttpStatusCode.BadRequest, "url", "404"),
            // Ferry's own API wants a token: as an instance with adminAuth would.
            (HttpMethod.Post, "stages", new() { ["name"] = "staging", ["url"] = host.Url + "api/v1/info" }, HttpStatusCode.BadRequest, "token", "401"),
            (HttpMethod.Post, "stages", new() { ["name"] = "production", ["url"] = NodeRedUrl }, HttpStatusCode.Conflict, "name", "already exists"),
            (HttpMethod.Post, "stages", new() { ["name"] = "qa", ["url"] = NodeRedUrl, ["after"] = "nope" }, HttpStatusCode.NotFound, "after", "'nope'"),
            (HttpMethod.Post, "stages", new() { ["name"] = "qa", ["url"] = NodeRedUrl, ["tokenVar"] = "qa-token" }, HttpStatusCode.BadRequest, "tokenVar", "--token-stdin"),
            (HttpMethod.Put, "stages/development/position", new() { ["after"] = "production" }, HttpStatusCode.Conflict, "stage", "source stage"),
            (HttpMethod.Put, "stages/nope/position", new() { ["after"] = "production" }, HttpStatusCode.NotFound, "stage", "'nope'"),
            (HttpMethod.Delete, "stages/development", null, HttpStatusCode.Conflict, "stage", "remove production first"),
            (HttpMethod.Delete, "stages/nope", null, HttpStatusCode.NotFound, "stage", "'nope'"),
        };
        foreach (var (method, path, body, expected, field, says) in cases)
        {
            var (status, problem) = await SendAsync(method, $"/api/v1/pipelines/{p}/{path}", body);

            status.ShouldBe(expected, $"{method} {path}: {problem.ToJsonString()}");
            problem["field"]!.GetValue<string>().ShouldBe(field, $"{method} {path}");
            problem["detail"]!.GetValue<string>().ShouldContain(says, Case.Sensitive, $"{method} {path}");
        }
        (await ConfigVersionsAsync(p)).ShouldBe(1);
    }

    [NodeRedFact]
    public async Task Edits_AreRefused_WhenThePipelineSetsItself()
    {
        var p = await PipelineAsync(TwoStages + """
            jobs:
              - name: reconfigure
                plan:
                  - task: render
                    config: { platform: linux, outputs: [{ name: out }], run: { path: "true" } }
                  - set_pipeline: self
                    file: out/pipeline.yml
            """);

        var (status, problem) = await SendAsync(HttpMethod.Delete, $"/api/v1/pipelines/{p}/stages/production");

        status.ShouldBe(HttpStatusCode.Conflict, problem.ToJsonString());
        problem["field"]!.GetValue<string>().ShouldBe("pipeline");
        problem["detail"]!.GetValue<string>().ShouldContain("job reconfigure has a set_pipeline step");
        (await ConfigVersionsAsync(p)).ShouldBe(1);
    }

    [NodeRedFact]
    public async Task Edits_NeedTheMemberRole_AsSettingTheConfigDoes()
    {
        var p = await PipelineAsync(TwoStages);
        var viewer = await host.TokenAsync("stage-viewer-" + Guid.NewGuid().ToString("N")[..6], "main:viewer");

        var (listed, stages) = await SendAsync(HttpMethod.Get, $"/api/v1/pipelines/{p}/stages", token: viewer);
        var (status, problem) = await SendAsync(HttpMethod.Delete, $"/api/v1/pipelines/{p}/stages/production", token: viewer);

        listed.ShouldBe(HttpStatusCode.OK);
        stages.AsArray().Count.ShouldBe(2);
        status.ShouldBe(HttpStatusCode.Forbidden, problem.ToJsonString());
        (await ConfigVersionsAsync(p)).ShouldBe(1);
    }
}
