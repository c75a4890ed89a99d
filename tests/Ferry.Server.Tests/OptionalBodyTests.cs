using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Ferry.Core.Versions;
using Ferry.Storage;

namespace Ferry.Server.Tests;

/// <summary>Operations whose JSON body is optional answer a request that sends none (as <c>curl -X PUT</c> does).</summary>
[Collection(ServerCollection.Name)]
public sealed class OptionalBodyTests(FerryHost host)
{
    private const string Yaml = """
        resources:
          - name: app
            type: git
            source: { uri: "file:///tmp/nowhere.git", branch: main }
        jobs:
          - name: unit
            plan: [{ get: app, trigger: true }]
        environments:
          - name: development
            release: [app]
            from: [unit]
            deploy: [{ task: deploy, config: { platform: linux, run: { path: "true" } } }]
        """;

    [Fact]
    public async Task HoldAndPromote_Work_WhenNoBodyIsSent()
    {
        var p = await PipelineWithAReleaseAsync();

        using var hold = await host.Http.PutAsync($"/api/v1/pipelines/{p}/environments/development/hold", null);
        using var promote = await host.Http.PostAsync($"/api/v1/pipelines/{p}/environments/development/promotions", null);

        hold.StatusCode.ShouldBe(HttpStatusCode.OK, await hold.Content.ReadAsStringAsync());
        JsonNode.Parse(await hold.Content.ReadAsStringAsync())!["hold"]!["reason"]!.GetValue<string>().ShouldBe("a hold");
        promote.StatusCode.ShouldBe(HttpStatusCode.Created, await promote.Content.ReadAsStringAsync());
        JsonNode.Parse(await promote.Content.ReadAsStringAsync())!["release"]!.GetValue<string>().ShouldBe("r1");
    }

    [Fact]
    public async Task Approve_ReachesTheOperation_WhenNoBodyIsSent()
    {
        var p = await PipelineWithAReleaseAsync();

        using var approve = await host.Http.PostAsync($"/api/v1/pipelines/{p}/promotions/999999/approve", null);

        approve.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        JsonNode.Parse(await approve.Content.ReadAsStringAsync())!["detail"]!.GetValue<string>().ShouldNotStartWith("no API route");
    }

    [Fact]
    public async Task Promote_Returns400NamingTheBody_WhenItIsNotJson()
    {
        var p = await PipelineWithAReleaseAsync();

        using var promote = await host.Http.PostAsync($"/api/v1/pipelines/{p}/environments/development/promotions",
            new StringContent("{release", Encoding.UTF8, "application/json"));

        promote.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        JsonNode.Parse(await promote.Content.ReadAsStringAsync())!["field"]!.GetValue<string>().ShouldBe("body");
    }

    private async Task<string> PipelineWithAReleaseAsync()
    {
        var name = "optional-" + Guid.NewGuid().ToString("N")[..8];
        await host.SetPipelineAsync(name, Yaml);
        var pipeline = (await host.Store.GetPipelineAsync(name))!;
        var app = (await host.Store.GetResourceAsync(pipeline.Id, "app"))!;
        var saved = await host.Store.SaveVersionsAsync(app.Id, [new ResourceVersion(new Dictionary<string, string> { ["ref"] = "c0ffee" }, [])]);
        await host.Store.SaveReleaseAsync(pipeline.Id, [new ReleaseVersionInput(app.Id, saved[^1].Id)]);
        return name;
    }
}
