using System.Net;
using System.Text.Json.Nodes;
using Ferry.Core.Builds;

namespace Ferry.Server.Tests.Destroying;

/// <summary>Destroying a pipeline keeps its audit history, and a pipeline set next never runs the destroyed one's config.</summary>
public sealed class DestroyPipelineTests
{
    [Fact]
    public async Task Destroy_KeepsTheAuditHistory_AndTheAuditListsEveryPipelineWithTheDestroy()
    {
        var host = await FerryHost.StartAsync(o => o);
        try
        {
            await host.Store.UpsertUserAsync("dora", owner: true, []);
            var token = (await host.Store.CreateApiTokenAsync("dora")).Token;
            await host.SetPipelineAsync("doomed", Pipelines.Hello);
            await host.SetPipelineAsync("kept", Pipelines.Hello);
            await SetVariableAsync(host, "doomed", "API_URL");
            await SetVariableAsync(host, "kept", "API_URL");

            using var request = new HttpRequestMessage(HttpMethod.Delete, "/api/v1/pipelines/doomed");
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            using var destroyed = await host.Http.SendAsync(request);
            destroyed.StatusCode.ShouldBe(HttpStatusCode.NoContent);

            var all = (await host.GetJsonAsync("/api/v1/audit")).AsArray();
            all.Select(a => (a!["pipeline"]!.GetValue<string>(), a["action"]!.GetValue<string>())).ShouldBe(
                [("doomed", "pipeline_destroyed"), ("kept", "variable_set"), ("doomed", "variable_set")]);
            all[0]!["actor"]!.GetValue<string>().ShouldBe("dora");
            var doomed = (await host.GetJsonAsync("/api/v1/audit?pipeline=doomed")).AsArray();
            doomed.Select(a => a!["action"]!.GetValue<string>()).ShouldBe(["pipeline_destroyed", "variable_set"]);
        }
        finally
        {
            await host.DisposeAsync();
        }
    }

    [Fact]
    public async Task Trigger_RunsTheNewPipelinesTask_WhenItGotTheIdOfADestroyedPipelineWhoseConfigRan()
    {
        var host = await RunningServer.StartAsync();
        try
        {
            await host.SetPipelineAsync("first", RunningServer.TaskPipeline("echo ran-the-first-pipeline"));
            var first = await RunningServer.FinishedAsync(host.Store, await RunningServer.TriggerAsync(host, "first", "unit"));
            first.Status.ShouldBe(BuildStatus.Succeeded);
            (await RunningServer.LogAsync(host.Store, first.Id)).ShouldContain("ran-the-first-pipeline");
            (await host.Http.DeleteAsync("/api/v1/pipelines/first")).StatusCode.ShouldBe(HttpStatusCode.NoContent);

            await host.SetPipelineAsync("second", RunningServer.TaskPipeline("echo ran-the-second-pipeline"));
            (await host.Store.GetPipelineAsync("second"))!.Id.ShouldBe(first.PipelineId!.Value, "SQLite gives the new pipeline the destroyed one's id: the case this test is about");
            var second = await RunningServer.FinishedAsync(host.Store, await RunningServer.TriggerAsync(host, "second", "unit"));

            second.Status.ShouldBe(BuildStatus.Succeeded);
            var log = await RunningServer.LogAsync(host.Store, second.Id);
            log.ShouldContain("ran-the-second-pipeline");
            log.ShouldNotContain("ran-the-first-pipeline");
        }
        finally
        {
            await host.DisposeAsync();
        }
    }

    private static async Task SetVariableAsync(FerryHost host, string pipeline, string name)
    {
        await host.SetPipelineAsync(pipeline, Pipelines.Hello + """

            environments:
              - name: staging
                release: [app]
                from: [unit]
                deploy: [{ task: deploy, config: { platform: linux, run: { path: "true" } } }]
            """);
        using var response = await host.Http.PutAsync($"/api/v1/pipelines/{pipeline}/environments/staging/variables/{name}",
            FerryHost.Json(new JsonObject { ["value"] = "https://x.example" }));
        response.IsSuccessStatusCode.ShouldBeTrue(await response.Content.ReadAsStringAsync());
    }
}
