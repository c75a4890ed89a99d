using System.Net;
using System.Text.Json.Nodes;

namespace Ferry.Server.Tests;

[Collection(ServerCollection.Name)]
public sealed class OpenApiTests(FerryHost host)
{
    [Fact]
    public async Task Document_ListsTheApi_WhenRequested()
    {
        using var response = await host.Http.GetAsync("/openapi/v1.json");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var document = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var paths = document["paths"]!.AsObject().Select(p => p.Key).ToList();
        paths.ShouldContain("/api/v1/pipelines/{pipeline}/config");
        paths.ShouldContain("/api/v1/builds/{id}/events");
        paths.ShouldContain("/api/v1/pipelines/{pipeline}/resources/{resource}/check/webhook");
    }

    [Fact]
    public async Task Info_NamesStore_WhenAsked()
    {
        var info = await host.GetJsonAsync("/api/v1/info");
        info["store"]!.GetValue<string>().ShouldBe("sqlite");
        info["startedAt"]!.GetValue<string>().ShouldEndWith("Z");
    }
}
