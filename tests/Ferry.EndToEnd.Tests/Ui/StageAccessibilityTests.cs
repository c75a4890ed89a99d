using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Ferry.Core.Promotion;
using Ferry.EndToEnd.Tests.Harness;
using Ferry.Engine.Promoting;
using Ferry.Tests.LocalServers;
using Microsoft.Playwright;
using static Ferry.Tests.LocalServers.TestFlows;

namespace Ferry.EndToEnd.Tests.Ui;

/// <summary>
/// The parts of the environments page that only instance-bound environments show (stage cards, a push preview,
/// snapshots, drift and its forced promotion), checked as <see cref="AccessibilityTests"/> checks every page, against
/// two real Node-RED instances: staging got r1 from development, then someone edited it by hand.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class StageAccessibilityTests(BrowserFixture browser) : IAsyncLifetime
{
    private const string Environments = "/pipelines/flows/environments";

    private InProcessFerry _ferry = null!;
    private NodeRedInstance? _dev;
    private NodeRedInstance? _staging;

    public async Task InitializeAsync()
    {
        if (NodeRedInstance.SkipReason is not null || Axe.SkipReason is not null)
            return;
        _dev = await NodeRedInstance.StartAsync();
        _staging = await NodeRedInstance.StartAsync();
        _ferry = await InProcessFerry.StartAsync("a11y-stages");
    }

    public async Task DisposeAsync()
    {
        if (_ferry is not null)
            await _ferry.DisposeAsync();
        if (_dev is not null)
            await _dev.DisposeAsync();
        if (_staging is not null)
            await _staging.DisposeAsync();
    }

    [AxeFact(NodeRed = true)]
    public async Task StagesSnapshotsAndDrift_HaveNoSeriousAxeViolationNorHorizontalScroll_AtDesktopAndPhoneWidth()
    {
        await _dev!.DeployAsync(Orders(Env("API_URL", "http://here")));
        await _staging!.DeployAsync(Orders(Env("API_URL", "http://here")));
        await SetPipelineAsync(Stages(_dev.Url, _staging.Url));
        var page = await browser.Browser.NewSignedInPageAsync(_ferry.Url, _ferry.AdminToken);
        await page.OnFailureAsync(nameof(StagesSnapshotsAndDrift_HaveNoSeriousAxeViolationNorHorizontalScroll_AtDesktopAndPhoneWidth), async () =>
        {
            await EventuallyAsync(page, "[data-stage=development][data-current=r1][data-status=succeeded]");
            var promotions = _ferry.Service<Promotions>();
            await promotions.PromoteAsync("flows", "staging", "r1", new Actor("admin", new HashSet<string>(), IsOwner: true, Operates: true), CancellationToken.None);
            await EventuallyAsync(page, "[data-stage=staging][data-current=r1][data-status=succeeded]");
            await _staging.DeployAsync(Orders(Env("API_URL", "http://here"), "edited by hand"));

            foreach (var size in new[] { PageChecks.Desktop, PageChecks.PhoneSize })
            {
                await page.SetViewportSizeAsync(size.Width, size.Height);
                var problems = new List<string>();
                foreach (var path in new[] { Environments, $"{Environments}?snapshots=staging", $"{Environments}?preview=staging" })
                {
                    await page.GotoAsync(path);
                    problems.AddRange(await PageChecks.ProblemsAsync(page, path));
                }
                await page.GotoAsync(Environments);
                await page.Locator("[data-push-from=development][data-push-to=staging] [data-action=push]").ClickAsync();
                await Assertions.Expect(page.Locator("[data-push-preview=staging]")).ToHaveCountAsync(1);
                problems.AddRange(await PageChecks.ProblemsAsync(page, "the push preview"));
                PageChecks.ShouldHaveNone(problems, size);
            }
        });
        await page.Context.CloseAsync();
    }

    private async Task SetPipelineAsync(string yaml)
    {
        using var http = new HttpClient { BaseAddress = new Uri(_ferry.Url) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _ferry.AdminToken);
        using var body = new StringContent(new JsonObject { ["config"] = yaml }.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await http.PutAsync("/api/v1/pipelines/flows/config", body);
        response.IsSuccessStatusCode.ShouldBeTrue(await response.Content.ReadAsStringAsync());
    }

    /// <summary>The view renders on the server: load it again until <paramref name="selector"/> shows (the loops work in the background).</summary>
    private static async Task EventuallyAsync(IPage page, string selector)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            await page.GotoAsync(Environments);
            if (await page.Locator(selector).CountAsync() > 0)
                return;
            await Task.Delay(500);
        }
        throw new TimeoutException($"the environments page never showed {selector}");
    }
}
