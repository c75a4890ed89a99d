using System.Net;
using System.Text.Json.Nodes;

namespace Ferry.Server.Tests;

[Collection(ServerCollection.Name)]
public sealed class PipelinesApiTests(FerryHost host)
{
    [Fact]
    public async Task SetConfig_StoresVersionsAndShowsDiff_WhenSetTwice()
    {
        await host.SetPipelineAsync("crud", Pipelines.Hello, new JsonObject { ["hook"] = "s3cret" });

        using var diffResponse = await host.Http.PostAsync("/api/v1/pipelines/crud/config/diff",
            FerryHost.Json(new JsonObject { ["config"] = Pipelines.HelloWithDeploy, ["vars"] = new JsonObject { ["hook"] = "other" } }));
        diffResponse.StatusCode.ShouldBe(HttpStatusCode.OK);
        var diff = JsonNode.Parse(await diffResponse.Content.ReadAsStringAsync())!;
        diff["isNew"]!.GetValue<bool>().ShouldBeFalse();
        diff["currentVersion"]!.GetValue<int>().ShouldBe(1);
        var lines = diff["diff"]!.AsArray().Select(l => l!.GetValue<string>()).ToList();
        lines.ShouldContain("+   - name: deploy");
        lines.ShouldContain("~ var hook (value changed)");
        string.Join("\n", lines).ShouldNotContain("other");
        (await host.GetJsonAsync("/api/v1/pipelines/crud"))["configVersion"]!.GetValue<int>().ShouldBe(1);

        await host.SetPipelineAsync("crud", Pipelines.HelloWithDeploy, new JsonObject { ["hook"] = "other" });
        var pipeline = await host.GetJsonAsync("/api/v1/pipelines/crud");
        pipeline["configVersion"]!.GetValue<int>().ShouldBe(2);
        pipeline["config"]!.GetValue<string>().ShouldBe(Pipelines.HelloWithDeploy);
        pipeline["varNames"]!.AsArray().Select(v => v!.GetValue<string>()).ShouldBe(["hook"]);
        pipeline.ToJsonString().ShouldNotContain("other");
        (await host.GetJsonAsync("/api/v1/pipelines/crud/configs")).AsArray().Count.ShouldBe(2);
        (await host.GetJsonAsync("/api/v1/pipelines")).AsArray().Select(p => p!["name"]!.GetValue<string>()).ShouldContain("crud");
    }

    [Fact]
    public async Task PauseUnpauseDestroy_ChangePipeline_WhenItExists()
    {
        await host.SetPipelineAsync("lifecycle", Pipelines.Hello);
        (await host.Http.PutAsync("/api/v1/pipelines/lifecycle/pause", null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await host.GetJsonAsync("/api/v1/pipelines/lifecycle"))["paused"]!.GetValue<bool>().ShouldBeTrue();
        (await host.Http.PutAsync("/api/v1/pipelines/lifecycle/unpause", null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await host.GetJsonAsync("/api/v1/pipelines/lifecycle"))["paused"]!.GetValue<bool>().ShouldBeFalse();

        (await host.Http.DeleteAsync("/api/v1/pipelines/lifecycle")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await host.Http.GetAsync("/api/v1/pipelines/lifecycle")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await host.Http.DeleteAsync("/api/v1/pipelines/lifecycle")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task SetConfig_StartsPaused_WhenNewAndAskedPaused()
    {
        using var response = await host.Http.PutAsync("/api/v1/pipelines/quiet/config",
            FerryHost.Json(new JsonObject { ["config"] = Pipelines.Hello, ["paused"] = true }));
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await host.GetJsonAsync("/api/v1/pipelines/quiet"))["paused"]!.GetValue<bool>().ShouldBeTrue();
    }

    [Fact]
    public async Task SetConfig_Returns422WithConfigPath_WhenConfigIsInvalid()
    {
        using var response = await host.Http.PutAsync("/api/v1/pipelines/broken/config",
            FerryHost.Json(new JsonObject { ["config"] = Pipelines.UnknownResource, ["fileName"] = "broken.yml" }));

        response.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        problem["field"]!.GetValue<string>().ShouldStartWith("jobs.unit.plan[1]");
        var error = problem["errors"]!.AsArray().Single()!;
        error["path"]!.GetValue<string>().ShouldStartWith("jobs.unit.plan[1]");
        error["location"]!.GetValue<string>().ShouldStartWith("broken.yml:");
        error["message"]!.GetValue<string>().ShouldContain("tools");
        (await host.Http.GetAsync("/api/v1/pipelines/broken")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task SetConfig_Returns422_WhenYamlIsBroken()
    {
        using var response = await host.Http.PutAsync("/api/v1/pipelines/yaml/config",
            FerryHost.Json(new JsonObject { ["config"] = "jobs: [\n  - name: x\n" }));
        response.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        problem["errors"]!.AsArray().Count.ShouldBeGreaterThan(0);
        problem["detail"]!.GetValue<string>().ShouldContain("pipeline.yml");
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("[1, 2]")]
    public async Task SetConfig_Returns400Problem_WhenBodyIsNotARequest(string body)
    {
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        using var response = await host.Http.PutAsync("/api/v1/pipelines/badbody/config", content);
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!["field"]!.GetValue<string>().ShouldBe("body");
    }

    [Fact]
    public async Task SetConfig_Returns400NamingPipeline_WhenNameIsInvalid()
    {
        using var response = await host.Http.PutAsync("/api/v1/pipelines/bad%20name/config", FerryHost.Json(new JsonObject { ["config"] = Pipelines.Hello }));
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        problem["field"]!.GetValue<string>().ShouldBe("pipeline");
        problem["detail"]!.GetValue<string>().ShouldContain("'bad name'");
    }
}
