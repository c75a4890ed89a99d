using System.Net;
using System.Text.Json.Nodes;
using Ferry.Core.Versions;

namespace Ferry.Server.Tests;

[Collection(ServerCollection.Name)]
public sealed class ResourcesApiTests(FerryHost host)
{
    [Theory]
    [InlineData("?webhook_token=wrong")]
    [InlineData("")]
    [InlineData("?webhook_token=")]
    public async Task Webhook_Returns401AndRequestsNoCheck_WhenTokenIsWrongOrMissing(string query)
    {
        await host.SetPipelineAsync("hooked", Pipelines.Hello, new JsonObject { ["hook"] = "right-token" });
        var resource = await ResourceAsync("hooked");
        await host.Store.RecordCheckAsync(resource.Id, DateTimeOffset.UtcNow, null, DateTimeOffset.UtcNow.AddHours(1));

        using var response = await host.Anonymous.PostAsync($"/api/v1/pipelines/hooked/resources/app/check/webhook{query}", null);

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        (await ResourceAsync("hooked")).NextCheckAt!.Value.ShouldBeGreaterThan(DateTimeOffset.UtcNow.AddMinutes(30));
    }

    [Fact]
    public async Task Webhook_Returns401_WhenResourceIsUnknown()
    {
        await host.SetPipelineAsync("hooked", Pipelines.Hello, new JsonObject { ["hook"] = "right-token" });
        using var response = await host.Anonymous.PostAsync("/api/v1/pipelines/hooked/resources/ghost/check/webhook?webhook_token=right-token", null);
        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Webhook_RequestsCheckNow_WhenTokenMatches()
    {
        await host.SetPipelineAsync("hooked", Pipelines.Hello, new JsonObject { ["hook"] = "right-token" });
        var resource = await ResourceAsync("hooked");
        await host.Store.RecordCheckAsync(resource.Id, DateTimeOffset.UtcNow, null, DateTimeOffset.UtcNow.AddHours(1));

        using var response = await host.Anonymous.PostAsync("/api/v1/pipelines/hooked/resources/app/check/webhook?webhook_token=right-token", null);

        response.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        (await ResourceAsync("hooked")).NextCheckAt!.Value.ShouldBeLessThanOrEqualTo(DateTimeOffset.UtcNow);
    }

    [Fact]
    public async Task List_ShowsCheckErrorButNoSecrets_WhenCheckFailed()
    {
        await host.SetPipelineAsync("listed", Pipelines.Hello, new JsonObject { ["hook"] = "very-secret-token" });
        var resource = await ResourceAsync("listed");
        await host.Store.RecordCheckAsync(resource.Id, DateTimeOffset.UtcNow, "git ls-remote: repository not found", DateTimeOffset.UtcNow.AddMinutes(1));

        var list = await host.GetJsonAsync("/api/v1/pipelines/listed/resources");

        var app = list.AsArray().Single()!;
        app["name"]!.GetValue<string>().ShouldBe("app");
        app["type"]!.GetValue<string>().ShouldBe("git");
        app["checkError"]!.GetValue<string>().ShouldBe("git ls-remote: repository not found");
        app["hasWebhook"]!.GetValue<bool>().ShouldBeTrue();
        list.ToJsonString().ShouldNotContain("very-secret-token");
        list.ToJsonString().ShouldNotContain("nowhere.git");
    }

    [Fact]
    public async Task PinAndVersions_FindByFieldAndToggle_WhenVersionsExist()
    {
        await host.SetPipelineAsync("pinning", Pipelines.Hello);
        var resource = await ResourceAsync("pinning");
        await host.Store.SaveVersionsAsync(resource.Id, [V("aaa"), V("bbb"), V("ccc")]);

        var versions = await host.GetJsonAsync("/api/v1/pipelines/pinning/resources/app/versions");
        versions["items"]!.AsArray().Select(v => v!["version"]!["ref"]!.GetValue<string>()).ShouldBe(["ccc", "bbb", "aaa"]);

        using var pin = await host.Http.PutAsync("/api/v1/pipelines/pinning/resources/app/pin",
            FerryHost.Json(new JsonObject { ["version"] = new JsonObject { ["ref"] = "bbb" }, ["comment"] = "hold" }));
        pin.StatusCode.ShouldBe(HttpStatusCode.OK);
        var pinned = await host.GetJsonAsync("/api/v1/pipelines/pinning/resources/app");
        pinned["pinnedVersion"]!["version"]!["ref"]!.GetValue<string>().ShouldBe("bbb");
        pinned["pinComment"]!.GetValue<string>().ShouldBe("hold");

        (await host.Http.PutAsync("/api/v1/pipelines/pinning/resources/app/unpin", null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await host.GetJsonAsync("/api/v1/pipelines/pinning/resources/app"))["pinnedVersion"].ShouldBeNull();

        var found = await host.GetJsonAsync("/api/v1/pipelines/pinning/resources/app/versions?version=ref:aaa");
        var id = found["items"]![0]!["id"]!.GetValue<long>();
        (await host.Http.PutAsync($"/api/v1/pipelines/pinning/resources/app/versions/{id}/disable", null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await host.GetJsonAsync($"/api/v1/pipelines/pinning/resources/app/versions/{id}"))["enabled"]!.GetValue<bool>().ShouldBeFalse();
        (await host.Http.PutAsync($"/api/v1/pipelines/pinning/resources/app/versions/{id}/enable", null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await host.GetJsonAsync($"/api/v1/pipelines/pinning/resources/app/versions/{id}"))["enabled"]!.GetValue<bool>().ShouldBeTrue();
    }

    [Fact]
    public async Task Pin_TakesUniquePrefixAsGitDoes_AndRefusesAmbiguousOrTooShortOnes()
    {
        await host.SetPipelineAsync("prefixes", Pipelines.Hello);
        var resource = await ResourceAsync("prefixes");
        await host.Store.SaveVersionsAsync(resource.Id, [V("5e1c0ffee0ddba11"), V("5e1cab1e5eed5a1e"), V("c0de1234")]);

        using var pin = await host.Http.PutAsync("/api/v1/pipelines/prefixes/resources/app/pin",
            FerryHost.Json(new JsonObject { ["version"] = new JsonObject { ["ref"] = "5e1cab1" } }));
        pin.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await host.GetJsonAsync("/api/v1/pipelines/prefixes/resources/app"))["pinnedVersion"]!["version"]!["ref"]!.GetValue<string>()
            .ShouldBe("5e1cab1e5eed5a1e");

        using var ambiguous = await host.Http.PutAsync("/api/v1/pipelines/prefixes/resources/app/pin",
            FerryHost.Json(new JsonObject { ["version"] = new JsonObject { ["ref"] = "5e1c" } }));
        ambiguous.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await ambiguous.Content.ReadAsStringAsync()).ShouldContain("is ambiguous");

        using var tooShort = await host.Http.PutAsync("/api/v1/pipelines/prefixes/resources/app/pin",
            FerryHost.Json(new JsonObject { ["version"] = new JsonObject { ["ref"] = "c0d" } }));
        tooShort.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    private async Task<ResourceRecord> ResourceAsync(string pipeline)
    {
        var p = await host.Store.GetPipelineAsync(pipeline);
        return (await host.Store.GetResourceAsync(p!.Id, "app"))!;
    }

    private static ResourceVersion V(string reference) => new(new Dictionary<string, string> { ["ref"] = reference });
}
