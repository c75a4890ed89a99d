using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Ferry.EndToEnd.Tests.Harness;
using Ferry.Server.Hosting;
using Ferry.Storage;
using Microsoft.Playwright;

namespace Ferry.EndToEnd.Tests.Ui;

/// <summary>
/// Issue 15's workers page in a real browser, against a whole server in this process: a remote worker registers with
/// a worker token over the worker protocol and claims a tagged build; the page lists the node's embedded worker, the
/// remote one with its tags, state and running build, and the node; once the worker is taken for lost, the page says so.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class WorkersPageTests(BrowserFixture browser) : IAsyncLifetime
{
    private const string Pipeline = """
        jobs:
          - name: train
            plan:
              - task: fit
                tags: [gpu]
                config: { platform: linux, run: { path: sh, args: [-c, "echo fitting"] } }
        """;

    private InProcessFerry _ferry = null!;
    private HttpClient _api = null!;

    private IStore Store => _ferry.Service<IStore>();

    public async Task InitializeAsync()
    {
        _ferry = await InProcessFerry.StartAsync("workers");
        _api = new HttpClient { BaseAddress = new Uri(_ferry.Url) };
        _api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _ferry.AdminToken);
    }

    public async Task DisposeAsync()
    {
        _api.Dispose();
        await _ferry.DisposeAsync();
    }

    [Fact]
    public async Task WorkersPage_ListsTheEmbeddedAndRemoteWorkersAndTheNode_AndMarksALostWorker()
    {
        var node = _ferry.Service<ServerNode>();
        var page = await browser.Browser.NewSignedInPageAsync(_ferry.Url, _ferry.AdminToken);
        await page.OnFailureAsync(nameof(WorkersPage_ListsTheEmbeddedAndRemoteWorkersAndTheNode_AndMarksALostWorker), async () =>
        {
            await page.GotoAsync("/");
            await page.Locator("nav [data-nav=workers]").ClickAsync();
            await Assertions.Expect(page).ToHaveURLAsync(new Regex("/workers$"));
            await Assertions.Expect(page.Locator("[data-no-remote-workers]")).ToContainTextAsync("ferry token create --worker NAME");
            await Assertions.Expect(page.Locator("[data-workers] tr[data-kind=remote]")).ToHaveCountAsync(0);

            var buildId = await RegisterAndClaimAsync("gpu-1");
            await page.ReloadAsync();

            var embedded = page.Locator("[data-workers] tr[data-kind=embedded]");
            await Assertions.Expect(embedded).ToHaveCountAsync(1);
            await Assertions.Expect(embedded).ToHaveAttributeAsync("data-worker", $"{node.Name} (embedded)");
            await Assertions.Expect(embedded).ToHaveAttributeAsync("data-state", "running");
            await Assertions.Expect(embedded.Locator("[data-tags]")).ToHaveTextAsync("untagged");
            var remote = page.Locator("[data-workers] tr[data-worker=gpu-1]");
            await Assertions.Expect(remote).ToHaveAttributeAsync("data-kind", "remote");
            await Assertions.Expect(remote).ToHaveAttributeAsync("data-state", "running");
            await Assertions.Expect(remote.Locator("[data-tags]")).ToHaveTextAsync("gpu, linux");
            await Assertions.Expect(remote).ToContainTextAsync("1.2.3");
            await Assertions.Expect(remote.Locator($"[data-running] a[data-build='{buildId}']")).ToHaveAttributeAsync("href", $"/builds/{buildId}");
            await Assertions.Expect(page.Locator("[data-no-remote-workers]")).ToHaveCountAsync(0);
            var row = page.Locator($"[data-nodes] tr[data-node-id='{node.Id}']");
            await Assertions.Expect(row).ToHaveAttributeAsync("data-node", node.Name);
            await Assertions.Expect(row).ToHaveAttributeAsync("data-live", "true");
            await Assertions.Expect(row.Locator("[data-runs-builds]")).ToHaveAttributeAsync("data-runs-builds", "true");
            await Assertions.Expect(row).ToContainTextAsync("(this one)");
            await remote.Locator($"[data-running] a[data-build='{buildId}']").ClickAsync();
            await Assertions.Expect(page).ToHaveURLAsync(new Regex($"/builds/{buildId}$"));
            await page.GotoAsync("/workers");

            // The worker stops beating: the sweep any node runs after the worker timeout takes it for lost.
            await Task.Delay(50);
            (await Store.EndLostWorkersAsync(TimeSpan.Zero)).Lost.Select(w => w.Name).ShouldBe(["gpu-1"]);
            await page.ReloadAsync();

            await Assertions.Expect(remote).ToHaveAttributeAsync("data-state", "lost");
            await Assertions.Expect(remote.Locator("[data-worker-state]")).ToContainTextAsync("lost");
            await Assertions.Expect(remote.Locator("[data-worker-state]")).ToContainTextAsync("no heartbeat since");
            await Assertions.Expect(remote.Locator("[data-running] a")).ToHaveCountAsync(0);
        });
        await page.Context.CloseAsync();
    }

    [AxeFact]
    public async Task WorkersPage_WithARunningAndALostWorker_HasNoSeriousAxeViolationNorHorizontalScroll()
    {
        await RegisterAndClaimAsync("gpu-lost");
        await Task.Delay(50);
        (await Store.EndLostWorkersAsync(TimeSpan.Zero)).Lost.Select(w => w.Name).ShouldBe(["gpu-lost"]);
        await RegisterAndClaimAsync("gpu-busy-with-a-rather-long-name-0123456789");
        var problems = new List<string>();
        var page = await browser.Browser.NewSignedInPageAsync(_ferry.Url, _ferry.AdminToken);
        try
        {
            foreach (var size in new[] { PageChecks.Desktop, PageChecks.PhoneSize })
            {
                await page.SetViewportSizeAsync(size.Width, size.Height);
                await page.GotoAsync("/workers");
                await Assertions.Expect(page.Locator("[data-workers] tr[data-state=lost]")).ToHaveCountAsync(1);
                await Assertions.Expect(page.Locator("[data-workers] tr[data-state=running] [data-running] a")).ToHaveCountAsync(1);
                problems.AddRange(await PageChecks.ProblemsAsync(page, $"/workers at {size.Width} px"));
            }
        }
        finally
        {
            await page.Context.CloseAsync();
        }
        PageChecks.ShouldHaveNone(problems, PageChecks.PhoneSize);
    }

    /// <summary>
    /// Makes a worker token, registers the worker with it (tags gpu and linux) as <c>ferry worker</c> does, and claims a
    /// new build of the gpu job for it; answers the build's id.
    /// </summary>
    private async Task<long> RegisterAndClaimAsync(string worker)
    {
        if (await Store.GetPipelineAsync("gpu") is null)
            await SetPipelineAsync("gpu", Pipeline);
        var token = (await Store.CreateWorkerTokenAsync(worker, "admin")).Token;
        using var registered = await SendAsync(HttpMethod.Post, "/api/v1/worker/register",
            """{"tags":["linux","gpu"],"runtime":"process","capacity":2,"version":"1.2.3","running":[]}""", token);
        registered.StatusCode.ShouldBe(HttpStatusCode.OK, await registered.Content.ReadAsStringAsync());
        using var triggered = await SendAsync(HttpMethod.Post, "/api/v1/pipelines/gpu/jobs/train/builds", "{}", _ferry.AdminToken);
        triggered.IsSuccessStatusCode.ShouldBeTrue(await triggered.Content.ReadAsStringAsync());
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            using var claimed = await SendAsync(HttpMethod.Post, "/api/v1/worker/claim", "{}", token);
            if (claimed.StatusCode == HttpStatusCode.OK)
                return (long)JsonNode.Parse(await claimed.Content.ReadAsStringAsync())!["buildId"]!;
            claimed.StatusCode.ShouldBe(HttpStatusCode.NoContent, await claimed.Content.ReadAsStringAsync());
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"worker {worker} found no build of gpu/train to claim");
            await Task.Delay(200);
        }
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string json, string token)
    {
        using var request = new HttpRequestMessage(method, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await _api.SendAsync(request);
    }

    private async Task SetPipelineAsync(string name, string yaml)
    {
        var file = Path.Combine(_ferry.DataDirectory, name + ".yml");
        await File.WriteAllTextAsync(file, yaml);
        var set = await Shell.RunAsync("dotnet", [Path.Combine(AppContext.BaseDirectory, "ferry.dll"), "set-pipeline", "-p", name, "-c", file, "--yes"],
            environment: new Dictionary<string, string>
            {
                ["FERRY_URL"] = _ferry.Url,
                ["FERRY_TOKEN"] = _ferry.AdminToken,
                ["XDG_CONFIG_HOME"] = Path.Combine(_ferry.DataDirectory, "cli-config"),
            });
        set.ExitCode.ShouldBe(0, set.ToString());
    }
}
