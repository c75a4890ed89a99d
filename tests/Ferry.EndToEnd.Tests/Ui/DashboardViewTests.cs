using System.Net.Http.Headers;
using System.Text;
using Ferry.EndToEnd.Tests.Harness;
using Ferry.Engine.Promoting;
using Microsoft.Playwright;

namespace Ferry.EndToEnd.Tests.Ui;

/// <summary>
/// The dashboard in a real browser, against a whole server in this process with a real git repository: each
/// pipeline's environments with release, status, hold and approvals awaited; the filter; and live pages: with the
/// dashboard, the environments page and a job page open, changes made through the API show up on each without a
/// reload. Screenshots of the open pages are saved when a test fails (TestResults/screenshots).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class DashboardViewTests(BrowserFixture browser) : IAsyncLifetime
{
    private const string Pipeline = """
        resources:
          - name: app
            type: git
            check_every: 1s
            source: { uri: ((repo)), branch: main }
        jobs:
          - name: unit
            plan:
              - get: app
                trigger: true
              - task: test
                config:
                  platform: linux
                  inputs: [{ name: app }]
                  run: { path: sh, args: [-c, "cat app/NOTES.md"] }
        environments:
          - name: development
            release: [app]
            from: [unit]
            promote: auto
            deploy:
              - task: deploy
                config: { platform: linux, run: { path: sh, args: [-c, "echo deploying $FERRY_RELEASE"] } }
          - name: staging
            from: [development]
            promote: manual
            deploy:
              - task: deploy
                config: { platform: linux, run: { path: sh, args: [-c, "echo deploying $FERRY_RELEASE"] } }
          - name: production
            from: [staging]
            promote: manual
            approval: { required: 1, from: [ops] }
            deploy:
              - task: deploy
                config: { platform: linux, run: { path: sh, args: [-c, "echo deploying $FERRY_RELEASE"] } }
        """;

    private const string Other = """
        jobs:
          - name: lint
            plan:
              - task: lint
                config: { platform: linux, run: { path: "true" } }
        """;

    // Builds and promotions run in the background (a git check, a task, a deploy): seconds each on a busy machine.
    private const float Live = 90_000;

    private readonly List<(string Name, IPage Page)> _pages = [];
    private InProcessFerry _ferry = null!;
    private GitRepository _repo = null!;
    private HttpClient _api = null!;

    public async Task InitializeAsync()
    {
        _repo = await GitRepository.CreateAsync();
        await _repo.CommitAsync("NOTES.md", "the first release\n", "a first change");
        _ferry = await InProcessFerry.StartAsync("dash");
        _api = new HttpClient { BaseAddress = new Uri(_ferry.Url) };
        _api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _ferry.AdminToken);
        await SetPipelineAsync("train", Pipeline, "main", $"repo={_repo.Uri}");
        await SetPipelineAsync("tools", Other, "web");
    }

    public async Task DisposeAsync()
    {
        _api.Dispose();
        await _ferry.DisposeAsync();
        await _repo.DisposeAsync();
    }

    [Fact]
    public Task Dashboard_ShowsChangesMadeThroughTheApi_OnOpenPagesWithoutAReload() => WithScreenshotsAsync(async () =>
    {
        // development takes r1 by itself; the pages open once it has, so what follows can only reach them live.
        var dashboard = await OpenAsync("dashboard", "/");
        await Assertions.Expect(Tile(dashboard, "development")).ToHaveAttributeAsync("data-status", "succeeded", new() { Timeout = Live });
        await dashboard.ReloadAsync();
        var environments = await OpenAsync("environments", "/pipelines/train/environments");
        var job = await OpenAsync("job", "/pipelines/train/jobs/unit");
        await Assertions.Expect(Tile(dashboard, "development")).ToHaveAttributeAsync("data-release", "r1");
        await Assertions.Expect(Tile(dashboard, "staging")).ToHaveAttributeAsync("data-status", "none");
        await Assertions.Expect(Tile(dashboard, "staging").Locator("[data-current-release]")).ToHaveCountAsync(0);
        await Assertions.Expect(job.Locator("tr[data-build]")).ToHaveCountAsync(1);
        foreach (var (_, page) in _pages)
        {
            // A mark that a reload would wipe; and the page listens before anything changes.
            await page.EvaluateAsync("() => { window.ferryTestMark = 'kept'; }");
            await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("data-live", "on");
        }
        // Typed into the filter, not submitted: a live refresh must leave it.
        await dashboard.Locator("#dashboard-q").FillAsync("half-typed");

        // Staging takes r1 through the API.
        await SendAsync(HttpMethod.Post, "/api/v1/pipelines/train/environments/staging/promotions", "{}");
        await Assertions.Expect(Tile(dashboard, "staging")).ToHaveAttributeAsync("data-status", "succeeded", new() { Timeout = Live });
        await Assertions.Expect(Tile(dashboard, "staging").Locator("[data-current-release]")).ToHaveTextAsync("r1");
        await Assertions.Expect(Tile(dashboard, "staging").Locator("[data-age]")).ToHaveCountAsync(1);
        await Assertions.Expect(environments.Locator("tr[data-environment=staging]")).ToHaveAttributeAsync("data-current", "r1", new() { Timeout = Live });

        // Production waits for an approval from ops; staging is held.
        await SendAsync(HttpMethod.Post, "/api/v1/pipelines/train/environments/production/promotions", "{}");
        await SendAsync(HttpMethod.Put, "/api/v1/pipelines/train/environments/staging/hold", """{"reason":"change freeze"}""");
        await Assertions.Expect(Tile(dashboard, "production")).ToHaveAttributeAsync("data-status", "awaiting_approval", new() { Timeout = Live });
        await Assertions.Expect(Tile(dashboard, "production").Locator("[data-awaiting]")).ToContainTextAsync("r1 awaits approval: 0 of 1 from ops");
        await Assertions.Expect(Tile(dashboard, "staging").Locator("[data-hold-reason]")).ToContainTextAsync("change freeze", new() { Timeout = Live });
        await Assertions.Expect(environments.Locator("[data-awaiting] tr[data-environment=production]")).ToHaveCountAsync(1, new() { Timeout = Live });
        await Assertions.Expect(environments.Locator("tr[data-environment=staging] [data-hold]")).ToHaveCountAsync(1, new() { Timeout = Live });

        // A build triggered through the API shows on the job page and colours the job on the dashboard.
        await SendAsync(HttpMethod.Post, "/api/v1/pipelines/train/jobs/unit/builds", "{}");
        await Assertions.Expect(job.Locator("tr[data-build]")).ToHaveCountAsync(2, new() { Timeout = Live });
        await Assertions.Expect(job.Locator("tr[data-build] [data-status=succeeded]")).ToHaveCountAsync(2, new() { Timeout = Live });

        (await dashboard.Locator("#dashboard-q").InputValueAsync()).ShouldBe("half-typed");
        foreach (var (name, page) in _pages)
            (await page.EvaluateAsync<string?>("() => window.ferryTestMark")).ShouldBe("kept", $"the {name} page was not reloaded");
        (await dashboard.Locator("[data-pipeline=train] li[data-environment]").EvaluateAllAsync<string[]>("tiles => tiles.map(t => t.dataset.environment)"))
            .ShouldBe(["development", "staging", "production"]);
    });

    [Fact]
    public Task Dashboard_ShowsAChangeMadeAfterItWasRendered_AndBeforeItListened() => WithScreenshotsAsync(async () =>
    {
        var page = await browser.Browser.NewSignedInPageAsync(_ferry.Url, _ferry.AdminToken);
        _pages.Add(("dashboard", page));
        // The page is rendered; staging is held before its script listens for changes, so no notice of it comes.
        await page.RouteAsync("**/api/v1/events**", async route =>
        {
            await SendAsync(HttpMethod.Put, "/api/v1/pipelines/train/environments/staging/hold", """{"reason":"held in between"}""");
            await route.ContinueAsync();
        });
        await page.GotoAsync("/");
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("data-live", "on");

        await Assertions.Expect(Tile(page, "staging").Locator("[data-hold-reason]")).ToContainTextAsync("held in between", new() { Timeout = Live });
    });

    [Fact]
    public Task Dashboard_ShowsOnlyTheMatchingPipelines_WhenFilteredByNameOrTeam() => WithScreenshotsAsync(async () =>
    {
        var page = await OpenAsync("dashboard", "/");
        await Assertions.Expect(page.Locator("section[data-pipeline]")).ToHaveCountAsync(2);

        await page.Locator("#dashboard-q").FillAsync("TRA");
        await page.Locator("[data-dashboard-filter] button[type=submit]").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex(@"\?q=TRA&team=$"));
        await Assertions.Expect(page.Locator("section[data-pipeline]")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("section[data-pipeline=train]")).ToHaveCountAsync(1);

        await page.Locator("#dashboard-q").FillAsync("");
        await page.Locator("#dashboard-team").SelectOptionAsync("web");
        await page.Locator("[data-dashboard-filter] button[type=submit]").ClickAsync();
        await Assertions.Expect(page.Locator("section[data-pipeline=tools]")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("section[data-pipeline]")).ToHaveCountAsync(1);

        await page.Locator("[data-action=clear-filter]").ClickAsync();
        await Assertions.Expect(page.Locator("section[data-pipeline]")).ToHaveCountAsync(2);
    });

    private static ILocator Tile(IPage page, string environment) =>
        page.Locator($"section[data-pipeline=train] li[data-environment={environment}]");

    private async Task<IPage> OpenAsync(string name, string path)
    {
        var page = await browser.Browser.NewSignedInPageAsync(_ferry.Url, _ferry.AdminToken);
        _pages.Add((name, page));
        await page.GotoAsync(path);
        return page;
    }

    private async Task SendAsync(HttpMethod method, string path, string json)
    {
        using var request = new HttpRequestMessage(method, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        using var response = await _api.SendAsync(request);
        response.IsSuccessStatusCode.ShouldBeTrue($"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private async Task SetPipelineAsync(string name, string yaml, string team, params string[] vars)
    {
        var file = Path.Combine(_ferry.DataDirectory, name + ".yml");
        await File.WriteAllTextAsync(file, yaml);
        List<string> args = [Path.Combine(AppContext.BaseDirectory, "ferry.dll"), "set-pipeline", "-p", name, "-c", file, "--team", team, "--yes"];
        foreach (var v in vars)
            args.AddRange(["-v", v]);
        var set = await Shell.RunAsync("dotnet", args, environment: new Dictionary<string, string>
        {
            ["FERRY_URL"] = _ferry.Url,
            ["FERRY_TOKEN"] = _ferry.AdminToken,
            ["XDG_CONFIG_HOME"] = Path.Combine(_ferry.DataDirectory, "cli-config"),
        });
        set.ExitCode.ShouldBe(0, set.ToString());
    }

    /// <summary>Runs the test; when it fails, saves a screenshot of every page it opened, and says where, with the promotions as they stand.</summary>
    private async Task WithScreenshotsAsync(Func<Task> test, [System.Runtime.CompilerServices.CallerMemberName] string name = "")
    {
        try
        {
            await test();
        }
        catch (Exception failure)
        {
            var directory = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots")).FullName;
            var saved = new List<string>();
            foreach (var (page, open) in _pages)
            {
                var file = Path.Combine(directory, $"{name}-{page}.png");
                try
                {
                    await open.ScreenshotAsync(new() { Path = file, FullPage = true });
                    saved.Add(file);
                }
                catch (PlaywrightException)
                {
                    // A page that cannot be shot any more: the others still are.
                }
            }
            var promotions = await _ferry.Service<Promotions>().ListPromotionsAsync("train", null, 20, CancellationToken.None);
            throw new InvalidOperationException(
                $"{failure.Message}\nscreenshots: {string.Join(", ", saved)}\npromotions: {string.Join("; ", promotions.Select(p => $"{p.Environment} {p.Release} {p.Status} {p.Reason}"))}",
                failure);
        }
    }
}
