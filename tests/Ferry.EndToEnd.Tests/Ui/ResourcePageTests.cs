using System.Text.RegularExpressions;
using Ferry.EndToEnd.Tests.Harness;
using Microsoft.Playwright;

namespace Ferry.EndToEnd.Tests.Ui;

/// <summary>
/// A resource's page in a real browser against a real `ferry server` and git repository: check now, versions with their
/// metadata and the builds that got them, pin then unpin, disable then enable, a failed check's error, and a viewer
/// who sees the buttons but may not use them.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ResourcePageTests(BrowserFixture browser) : IAsyncLifetime
{
    private const string Pipeline = """
        resources:
          - name: app
            type: git
            check_every: never
            source: { uri: ((repo)), branch: main }
          - name: ghost
            type: git
            check_every: never
            source: { uri: "file:///nonexistent/ghost.git", branch: main }
        jobs:
          - name: unit
            plan:
              - get: app
          - name: haunted
            plan:
              - get: ghost
        """;

    private FerryServer _server = null!;
    private GitRepository _repo = null!;
    private IPage _page = null!;

    public async Task InitializeAsync()
    {
        _repo = await GitRepository.CreateAsync();
        await _repo.CommitAsync("NOTES.md", "one\n", "a first change");
        _server = await FerryServer.StartAsync();
        var file = Path.Combine(_server.DataDirectory, "res.yml");
        await File.WriteAllTextAsync(file, Pipeline);
        var set = await _server.CliAsync("set-pipeline", "-p", "res", "-c", file, "-v", $"repo={_repo.Uri}", "--yes");
        set.ExitCode.ShouldBe(0, set.ToString());
        _page = await browser.Browser.NewSignedInPageAsync(_server.Url, _server.AdminToken);
    }

    public async Task DisposeAsync()
    {
        await _page.Context.CloseAsync();
        await _server.DisposeAsync();
        await _repo.DisposeAsync();
    }

    [Fact]
    public Task ResourcePage_ChecksPinsAndDisables_AndShowsTheBuildsThatUsedEachVersion() =>
        _page.OnFailureAsync(nameof(ResourcePage_ChecksPinsAndDisables_AndShowsTheBuildsThatUsedEachVersion), async () =>
        {
            using var api = _server.NewApi();
            await _page.GotoAsync("/pipelines/res");
            await _page.Locator("[data-resources] tr[data-resource=app] a").ClickAsync();
            await Assertions.Expect(_page).ToHaveURLAsync(new Regex("/pipelines/res/resources/app$"));
            await Assertions.Expect(_page.Locator("[data-no-versions]")).ToHaveCountAsync(1);
            await Assertions.Expect(_page.Locator("[data-next-check]")).ToHaveTextAsync("only on Check now or a webhook (check_every: never)");

            // Check now: the first check finds the newest commit; a second commit and another check find that too.
            await _page.Locator("[data-action=check]").ClickAsync();
            await RowsAsync(1);
            var second = await _repo.CommitAsync("NOTES.md", "two\n", "a second change");
            await _page.Locator("[data-action=check]").ClickAsync();
            var rows = await RowsAsync(2);
            var (newest, oldest) = (rows[0], rows[1]);
            var newestRow = _page.Locator($"tr[data-version='{newest}']");
            await Assertions.Expect(newestRow.Locator("code").First).ToHaveAttributeAsync("title", $"ref: {second}");
            await Assertions.Expect(newestRow.Locator("[data-metadata]")).ToContainTextAsync("message a second change");
            await Assertions.Expect(_page.Locator("[data-checked-at]")).Not.ToHaveTextAsync("never");

            // A build that got the newest version is listed with it, linked to the build.
            var trigger = await _server.CliAsync("trigger", "-j", "res/unit", "--watch");
            trigger.ExitCode.ShouldBe(0, trigger.ToString());
            await _page.ReloadAsync();
            var got = newestRow.Locator("[data-uses=input] a");
            await Assertions.Expect(got).ToHaveTextAsync("unit #1");
            await Assertions.Expect(got).ToHaveAttributeAsync("href", new Regex(@"^/builds/\d+$"));
            await Assertions.Expect(_page.Locator($"tr[data-version='{oldest}'] [data-uses]")).ToHaveCountAsync(0);

            // Pin the older version with a comment, then unpin.
            await _page.Locator("#pin-form input[name=comment]").FillAsync("the second change breaks unit");
            await _page.Locator($"tr[data-version='{oldest}'] [data-action=pin]").ClickAsync();
            await Assertions.Expect(_page.Locator("[data-pinned]")).ToHaveAttributeAsync("data-pinned", oldest);
            await Assertions.Expect(_page.Locator("[data-pinned]")).ToContainTextAsync("the second change breaks unit");
            var pinned = await api.GetAsync("pipelines/res/resources/app");
            ((long)pinned["pinnedVersion"]!["id"]!).ToString(System.Globalization.CultureInfo.InvariantCulture).ShouldBe(oldest);
            ((string?)pinned["pinComment"]).ShouldBe("the second change breaks unit");
            await _page.Locator("[data-action=unpin]").ClickAsync();
            await Assertions.Expect(_page.Locator("[data-pinned]")).ToHaveCountAsync(0);
            (await api.GetAsync("pipelines/res/resources/app"))["pinnedVersion"].ShouldBeNull();

            // Disable the newest version, then enable it again.
            await newestRow.Locator("[data-action=disable]").ClickAsync();
            await Assertions.Expect(newestRow).ToHaveAttributeAsync("data-enabled", "false");
            ((bool)(await api.GetAsync($"pipelines/res/resources/app/versions/{newest}"))["enabled"]!).ShouldBeFalse();
            await newestRow.Locator("[data-action=enable]").ClickAsync();
            await Assertions.Expect(newestRow).ToHaveAttributeAsync("data-enabled", "true");
            ((bool)(await api.GetAsync($"pipelines/res/resources/app/versions/{newest}"))["enabled"]!).ShouldBeTrue();
        });

    [Fact]
    public Task ResourcePage_ShowsTheLastChecksError_AndWhenTheNextCheckRuns() =>
        _page.OnFailureAsync(nameof(ResourcePage_ShowsTheLastChecksError_AndWhenTheNextCheckRuns), async () =>
        {
            await _page.GotoAsync("/pipelines/res");
            // The graph links resources too.
            await _page.Locator("svg[data-graph] g.resource[data-name=ghost] a").ClickAsync();
            await Assertions.Expect(_page).ToHaveURLAsync(new Regex("/pipelines/res/resources/ghost$"));

            await _page.Locator("[data-action=check]").ClickAsync();

            var error = _page.Locator("[data-check-error]");
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (await error.CountAsync() == 0 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(300);
                await _page.ReloadAsync();
            }
            await Assertions.Expect(error).ToContainTextAsync("/nonexistent/ghost.git");
            // A failed check backs off (5 s, then doubling): the page says when the next one runs.
            await Assertions.Expect(_page.Locator("[data-next-check]")).ToHaveTextAsync(new Regex(@"^(in \d+s|due now)$"));
            await Assertions.Expect(_page.Locator("[data-no-versions]")).ToContainTextAsync("the last check failed");
        });

    [Fact]
    public Task ResourcePage_ShowsAViewerTheButtonsDisabled_WithTheRoleTheyNeed() =>
        _page.OnFailureAsync(nameof(ResourcePage_ShowsAViewerTheButtonsDisabled_WithTheRoleTheyNeed), async () =>
        {
            var vera = await _server.CliAsync("user", "add", "vera", "--team", "main:viewer");
            vera.ExitCode.ShouldBe(0, vera.ToString());
            var page = await browser.Browser.NewSignedInPageAsync(_server.Url, vera.Output.TrimEnd().Split('\n')[^1]);
            try
            {
                var response = await page.GotoAsync("/pipelines/res/resources/app");

                response!.Status.ShouldBe(200);
                var check = page.Locator("[data-action=check]");
                await Assertions.Expect(check).ToBeDisabledAsync();
                await Assertions.Expect(check).ToHaveAttributeAsync("title", "vera needs the operator role in team main to check resources of pipeline res");
                // A button made usable by hand posts, and the server refuses it as the API would.
                await check.EvaluateAsync("b => b.disabled = false");
                await check.ClickAsync();
                await Assertions.Expect(page.Locator("[data-refusal]")).ToHaveTextAsync("vera needs the operator role in team main to check resources of pipeline res");
                (await page.GotoAsync("/pipelines/res/resources/nothing"))!.Status.ShouldBe(404);
            }
            finally
            {
                await page.Context.CloseAsync();
            }
        });

    /// <summary>Reloads until the page lists <paramref name="count"/> versions (the checker runs in the background); their ids, newest first.</summary>
    private async Task<string[]> RowsAsync(int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var ids = await _page.Locator("[data-versions] tr[data-version]").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.version)");
            if (ids.Length >= count)
                return ids;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"the page never listed {count} versions\n--- server log\n{_server.Log}");
            await Task.Delay(300);
            await _page.ReloadAsync();
        }
    }
}
