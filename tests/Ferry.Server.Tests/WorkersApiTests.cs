using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Ferry.Server.Hosting;

namespace Ferry.Server.Tests;

/// <summary>
/// The list of workers and server nodes (issue 15): the API and the web UI's workers page show the same workers, for
/// any signed-in user; anonymous users get the API's 401 and the page's sign-in.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class WorkersApiTests(FerryHost host)
{
    private async Task RegisterAsync(string worker, params string[] tags)
    {
        var token = await host.Store.CreateWorkerTokenAsync(worker, "admin");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/worker/register")
        {
            Content = JsonContent.Create(new { tags, runtime = "process", capacity = 3, version = "9.9.9", running = Array.Empty<long>() }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Token);
        using var response = await host.Anonymous.SendAsync(request);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ListWorkers_GivesTheNodesEmbeddedWorker_ThenTheRemoteOnesWithTheirTags()
    {
        await RegisterAsync("api-gpu-1", "gpu", "linux");
        var self = host.Service<ServerNode>();

        var workers = (await host.GetJsonAsync("/api/v1/workers")).AsArray();
        var nodes = (await host.GetJsonAsync("/api/v1/nodes")).AsArray();

        var embedded = workers[0]!;
        ((string)embedded["kind"]!).ShouldBe("embedded");
        ((string)embedded["node"]!).ShouldBe(self.Id);
        var remote = workers.Single(w => (string)w!["name"]! == "api-gpu-1")!;
        ((string)remote["kind"]!).ShouldBe("remote");
        ((string)remote["state"]!).ShouldBe("running");
        remote["tags"]!.AsArray().Select(t => (string)t!).ShouldBe(["gpu", "linux"]);
        ((int)remote["capacity"]!).ShouldBe(3);
        var node = nodes.Single(n => (string)n!["id"]! == self.Id)!;
        ((bool)node["self"]!).ShouldBeTrue();
        ((bool)node["embeddedWorker"]!).ShouldBeTrue();
    }

    [Fact]
    public async Task WorkersPage_ShowsEveryWorkerAndNodeTheApiLists()
    {
        await RegisterAsync("page-arm-1", "arm");

        var workers = (await host.GetJsonAsync("/api/v1/workers")).AsArray().Select(w => (string)w!["name"]!).ToList();
        var nodes = (await host.GetJsonAsync("/api/v1/nodes")).AsArray().Select(n => (string)n!["id"]!).ToList();
        var page = await host.Http.GetStringAsync("/workers");

        workers.ShouldContain("page-arm-1");
        foreach (var name in workers)
            page.ShouldContain($"data-worker=\"{WebUtility.HtmlEncode(name)}\"");
        foreach (var id in nodes)
            page.ShouldContain($"data-node-id=\"{id}\"");
    }

    [Fact]
    public async Task WorkersPageAndApi_AreForEverySignedInUser_AndSendAnonymousToSignIn()
    {
        await host.Store.UpsertUserAsync("roleless-rita", owner: false, []);
        var rita = await host.Store.CreateApiTokenAsync("roleless-rita");
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = host.Url };

        using var anonymousApi = await client.GetAsync("/api/v1/workers");
        using var anonymousPage = await client.GetAsync("/workers");
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", rita.Token);
        using var ritasApi = await client.GetAsync("/api/v1/workers");
        using var ritasPage = await client.GetAsync("/workers");

        anonymousApi.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        anonymousPage.StatusCode.ShouldBe(HttpStatusCode.Found);
        anonymousPage.Headers.Location!.ToString().ShouldBe("/sign-in?returnUrl=%2Fworkers");
        ritasApi.StatusCode.ShouldBe(HttpStatusCode.OK);
        ritasPage.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await ritasPage.Content.ReadAsStringAsync()).ShouldContain("data-workers");
    }
}
