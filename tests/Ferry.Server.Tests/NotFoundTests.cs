using System.Net;
using System.Text.Json.Nodes;

namespace Ferry.Server.Tests;

[Collection(ServerCollection.Name)]
public sealed class NotFoundTests(FerryHost host)
{
    [Theory]
    [InlineData("/api/v1/pipelines/ghost", "pipeline 'ghost' not found")]
    [InlineData("/api/v1/pipelines/ghost/jobs", "pipeline 'ghost' not found")]
    [InlineData("/api/v1/pipelines/present/jobs/ghost", "job 'ghost' not found in pipeline 'present'")]
    [InlineData("/api/v1/pipelines/present/jobs/unit/builds/77", "build '77' of job 'present/unit' not found")]
    [InlineData("/api/v1/pipelines/present/resources/ghost", "resource 'ghost' not found in pipeline 'present'")]
    [InlineData("/api/v1/pipelines/present/resources/app/versions/999999", "version 999999 of resource 'present/app' not found")]
    [InlineData("/api/v1/builds/999999", "build 999999 not found")]
    [InlineData("/api/v1/builds/999999/events", "build 999999 not found")]
    [InlineData("/api/v1/nothing-here", "no API route GET /api/v1/nothing-here")]
    public async Task Get_Returns404ProblemNamingIt_WhenUnknown(string path, string detail)
    {
        await host.SetPipelineAsync("present", Pipelines.Hello);

        using var response = await host.Http.GetAsync(path);

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!["detail"]!.GetValue<string>().ShouldBe(detail);
    }

    [Fact]
    public async Task Events_Returns404ProblemNamingBuild_WhenClientAcceptsOnlyAnEventStream()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/builds/999998/events");
        request.Headers.Accept.ParseAdd("text/event-stream");

        using var response = await host.Http.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!["detail"]!.GetValue<string>().ShouldBe("build 999998 not found");
    }

    [Fact]
    public async Task Pin_Returns404NamingVersion_WhenNoVersionMatches()
    {
        await host.SetPipelineAsync("present", Pipelines.Hello);
        using var response = await host.Http.PutAsync("/api/v1/pipelines/present/resources/app/pin",
            FerryHost.Json(new JsonObject { ["version"] = new JsonObject { ["ref"] = "abc" } }));
        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!["detail"]!.GetValue<string>()
            .ShouldBe("version ref:abc of resource 'present/app' not found");
    }
}
