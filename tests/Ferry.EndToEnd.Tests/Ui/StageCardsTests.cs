using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Ferry.EndToEnd.Tests.Harness;
using Ferry.Tests.LocalServers;
using Microsoft.Playwright;
using static Ferry.Tests.LocalServers.TestFlows;

namespace Ferry.EndToEnd.Tests.Ui;

/// <summary>
/// FlowFuse's stage cards in a real browser, against a whole server in this process and two real Node-RED instances:
/// each card shows its instance, snapshot, status and last push; the play button on development's card takes a
/// snapshot now, previews the flow changes by tab, and on confirm pushes it into staging.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class StageCardsTests(BrowserFixture browser) : IAsyncLifetime
{
    private InProcessFerry _ferry = null!;
    private NodeRedInstance _dev = null!;
    private NodeRedInstance _staging = null!;

    public async Task InitializeAsync()
    {
        if (NodeRedInstance.SkipReason is not null)
            return;
        _dev = await NodeRedInstance.StartAsync();
        _staging = await NodeRedInstance.StartAsync();
        _ferry = await InProcessFerry.StartAsync("stages");
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

    [NodeRedFact]
    public async Task PlayButton_PushesASnapshotTakenNowIntoTheNextStage_AfterThePreview()
    {
        await _staging.DeployAsync(Orders(Env("API_URL", "http://staging"), "tick"));
        await _dev.DeployAsync(Orders(Env("API_URL", "http://dev"), "tick"));
        // check_every: 1h: after the first check, only the play button's "snapshot now" sees development's edits.
        await SetPipelineAsync($$"""
            resources:
              - name: dev-flows
                type: node-red
                check_every: 1h
                source: { url: "{{_dev.Url}}" }
            environments:
              - name: development
                instance: dev-flows
              - name: staging
                from: [development]
                instance: { type: node-red, source: { url: "{{_staging.Url}}" } }
                promote: manual
            """);
        var page = await browser.Browser.NewSignedInPageAsync(_ferry.Url, _ferry.AdminToken);

        // The first check's snapshot is r1, and development takes it by itself; staging has had no push yet.
        await EventuallyAsync(page, "[data-stage=development][data-current=r1][data-status=succeeded]");
        var development = page.Locator("[data-stage=development]");
        await Assertions.Expect(development.Locator("[data-instance-url]")).ToHaveTextAsync(_dev.Url);
        await Assertions.Expect(development.Locator("[data-snapshot]")).ToContainTextAsync("r1");
        await Assertions.Expect(development.Locator("[data-last-push]")).ToContainTextAsync("r1 by");
        var staging = page.Locator("[data-stage=staging]");
        await Assertions.Expect(staging.Locator("[data-instance-url]")).ToHaveTextAsync(_staging.Url);
        await Assertions.Expect(staging.Locator("[data-snapshot]")).ToHaveTextAsync("none yet");
        await Assertions.Expect(staging.Locator("[data-last-push]")).ToHaveTextAsync("none");

        // Someone edits development's flows in its editor: a renamed node and a new key.
        await _dev.DeployAsync(Orders(Env("API_URL", "http://dev") + "," + Env("NEW_KEY", "dev-only"), "tock"));
        var push = page.Locator("[data-push-from=development][data-push-to=staging]");
        await push.Locator("[data-snapshot-choice]").SelectOptionAsync("now");
        await push.Locator("[data-action=push]").ClickAsync();

        var preview = page.Locator("[data-push-preview=staging]");
        await Assertions.Expect(preview).ToHaveAttributeAsync("data-release", "r2");
        await Assertions.Expect(preview.Locator("[data-push-note]")).ToContainTextAsync("taken now: the new release r2");
        var renamed = preview.Locator("tr[data-flow-change=changed][data-tab=Orders][data-node=n1]");
        await Assertions.Expect(renamed).ToContainTextAsync("inject tock");
        await Assertions.Expect(renamed).ToContainTextAsync("changed: name");
        await Assertions.Expect(preview.Locator("[data-keys-without-value]")).ToContainTextAsync("NEW_KEY");
        (await _staging.GetFlowsAsync()).Flows.OfType<JsonObject>().Single(n => (string?)n["id"] == "n1")["name"]!.GetValue<string>()
            .ShouldBe("tick", "the preview deploys nothing");

        await page.Locator("[data-action=confirm-push]").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/pipelines/flows/environments$"));
        await EventuallyAsync(page, "[data-stage=staging][data-current=r2][data-status=succeeded]");
        staging = page.Locator("[data-stage=staging]");
        await Assertions.Expect(staging.Locator("[data-instance-url]")).ToHaveTextAsync(_staging.Url);
        await Assertions.Expect(staging.Locator("[data-snapshot]")).ToContainTextAsync("r2");
        await Assertions.Expect(staging.Locator("[data-snapshot] code")).ToHaveCountAsync(1);
        await Assertions.Expect(staging.Locator("[data-last-push]")).ToContainTextAsync("r2 by admin");
        await Assertions.Expect(staging.Locator("[data-last-push]")).ToContainTextAsync("succeeded");
        await Assertions.Expect(page.Locator("[data-stage=development]")).ToHaveAttributeAsync("data-current", "r2");
        (await _staging.GetFlowsAsync()).Flows.OfType<JsonObject>().Single(n => (string?)n["id"] == "n1")["name"]!.GetValue<string>().ShouldBe("tock");
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
            await page.GotoAsync("/pipelines/flows/environments");
            if (await page.Locator(selector).CountAsync() > 0)
                return;
            await Task.Delay(500);
        }
        throw new TimeoutException($"the environments page never showed {selector}: {await page.Locator("[data-stages]").InnerTextAsync()}");
    }
}
