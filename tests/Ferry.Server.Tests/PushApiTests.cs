using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Ferry.Tests.LocalServers;
using static Ferry.Tests.LocalServers.TestFlows;

namespace Ferry.Server.Tests;

/// <summary>
/// The push API (<c>GET|POST …/environments/{env}/push</c>) on a whole server (loops on) with two real Node-RED
/// instances: what the play button offers, the preview of a snapshot taken now (flow changes by tab, keys arriving
/// empty), the push itself into the next stage, and the refusals in the API's words.
/// </summary>
public sealed class PushApiTests : IAsyncLifetime
{
    private FerryHost _host = null!;
    private NodeRedInstance _dev = null!;
    private NodeRedInstance _staging = null!;

    public async Task InitializeAsync()
    {
        if (NodeRedInstance.SkipReason is not null)
            return;
        _dev = await NodeRedInstance.StartAsync();
        _staging = await NodeRedInstance.StartAsync();
        _host = await RunningServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
            await _host.DisposeAsync();
        if (_dev is not null)
            await _dev.DisposeAsync();
        if (_staging is not null)
            await _staging.DisposeAsync();
    }

    private string Yaml => Stages(_dev.Url, _staging.Url);

    private async Task<(HttpStatusCode Status, JsonNode Body)> PostAsync(string path, JsonNode body, string? token = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = FerryHost.Json(body) };
        if (token is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await _host.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? new JsonObject() : JsonNode.Parse(text)!);
    }

    private async Task<JsonNode> StagingWhenAsync(Func<JsonNode, bool> until)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            var staging = await _host.GetJsonAsync("/api/v1/pipelines/flows/environments/staging");
            if (until(staging))
                return staging;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"staging never got there: {staging.ToJsonString()}");
            await Task.Delay(100);
        }
    }

    [NodeRedFact]
    public async Task Push_PreviewsASnapshotTakenNow_ThenPushesItIntoTheNextStage_WhenConfirmed()
    {
        await _staging.DeployAsync(Orders(Env("API_URL", "http://staging"), "tick"));
        await _dev.DeployAsync(Orders(Env("API_URL", "http://dev") + "," + Env("NEW_KEY", "dev-only"), "tock"));
        await _host.SetPipelineAsync("flows", Yaml);
        const string push = "/api/v1/pipelines/flows/environments/staging/push";

        var options = await _host.GetJsonAsync(push);
        options["from"]!.GetValue<string>().ShouldBe("development");
        options["now"]!.GetValue<string>().ShouldContain("dev-flows");

        var preview = await PostAsync(push, new JsonObject { ["snapshot"] = "now", ["dryRun"] = true });
        preview.Status.ShouldBe(HttpStatusCode.OK, preview.Body.ToJsonString());
        preview.Body["promotion"].ShouldBeNull();
        var release = preview.Body["release"]!.GetValue<string>();
        release.ShouldBe("r1");
        preview.Body["preview"]!["keysWithoutValue"]!.AsArray().Select(k => k!.GetValue<string>()).ShouldBe(["NEW_KEY"]);
        var orders = preview.Body["preview"]!["flows"]!["groups"]!.AsArray().Single()!;
        orders["label"]!.GetValue<string>().ShouldBe("Orders");
        // The inject node was renamed; the tab gains the new key (empty: staging has no value for it).
        orders["changed"]!.AsArray().Select(c => (c!["id"]!.GetValue<string>(), string.Join(",", c["properties"]!.AsArray().Select(p => p!.GetValue<string>()))))
            .ShouldBe([("t1", "env"), ("n1", "name")], ignoreOrder: true);
        orders["changed"]!.AsArray().Single(c => c!["id"]!.GetValue<string>() == "n1")!["name"]!.GetValue<string>().ShouldBe("tock");
        (await _staging.GetFlowsAsync()).Flows.OfType<JsonObject>().Single(n => (string?)n["id"] == "n1")["name"]!.GetValue<string>()
            .ShouldBe("tick", "a preview deploys nothing");

        var pushed = await PostAsync(push, new JsonObject { ["snapshot"] = release });
        pushed.Status.ShouldBe(HttpStatusCode.Created, pushed.Body.ToJsonString());
        pushed.Body["promotion"]!["requestedBy"]!.GetValue<string>().ShouldBe("admin");

        var staging = await StagingWhenAsync(s => s["current"]?["name"]?.GetValue<string>() == release && s["status"]?.GetValue<string>() == "succeeded");
        staging["instance"]!["url"]!.GetValue<string>().ShouldBe(_staging.Url);
        var deployed = (await _staging.GetFlowsAsync()).Flows.OfType<JsonObject>().ToList();
        deployed.Single(n => (string?)n["id"] == "n1")["name"]!.GetValue<string>().ShouldBe("tock");
        deployed.Single(n => (string?)n["id"] == "t1")["env"]!.AsArray().Select(e => ((string)e!["name"]!, (string)e["value"]!))
            .ShouldBe([("API_URL", "http://staging"), ("NEW_KEY", "")]);
    }

    [NodeRedFact]
    public async Task Push_AnswersProblems_WhenTheStageTheSnapshotOrTheRoleIsWrong()
    {
        await _dev.DeployAsync(Orders(Env("API_URL", "http://dev"), "tock"));
        await _host.SetPipelineAsync("flows", Yaml);
        var viewer = await _host.TokenAsync("vera", "main:viewer");

        var first = await PostAsync("/api/v1/pipelines/flows/environments/development/push", new JsonObject { ["dryRun"] = true });
        first.Status.ShouldBe(HttpStatusCode.BadRequest);
        first.Body["detail"]!.GetValue<string>().ShouldContain("development is a first stage");
        var bogus = await PostAsync("/api/v1/pipelines/flows/environments/staging/push", new JsonObject { ["snapshot"] = "yesterday" });
        bogus.Status.ShouldBe(HttpStatusCode.BadRequest);
        bogus.Body["detail"]!.GetValue<string>().ShouldContain("snapshot 'yesterday' is not now, latest or a release");
        var missing = await PostAsync("/api/v1/pipelines/flows/environments/staging/push", new JsonObject { ["snapshot"] = "r9", ["dryRun"] = true });
        missing.Status.ShouldBe(HttpStatusCode.NotFound);
        var forbidden = await PostAsync("/api/v1/pipelines/flows/environments/staging/push", new JsonObject { ["snapshot"] = "now" }, viewer);
        forbidden.Status.ShouldBe(HttpStatusCode.Forbidden);
        forbidden.Body["detail"]!.GetValue<string>().ShouldContain("vera needs the operator role");
        (await _host.GetJsonAsync("/api/v1/pipelines/flows/environments/staging"))["current"].ShouldBeNull();
    }
}
