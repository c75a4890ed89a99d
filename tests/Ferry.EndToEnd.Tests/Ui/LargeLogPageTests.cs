using Ferry.EndToEnd.Tests.Harness;
using Microsoft.Playwright;

namespace Ferry.EndToEnd.Tests.Ui;

/// <summary>
/// A build whose log is far longer than its page shows: the page renders its end, and "Load earlier output" fills
/// in the rest in the browser, page by page, in order, until the log is whole.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class LargeLogPageTests(BrowserFixture browser) : IAsyncLifetime
{
    private const int Lines = 150_000;

    private const string Pipeline = """
        jobs:
          - name: flood
            plan:
              - task: count
                config:
                  platform: linux
                  run: { path: awk, args: ["BEGIN { for (i = 1; i <= 150000; i++) printf \"line %06d\\n\", i }"] }
        """;

    private FerryServer _server = null!;

    public async Task InitializeAsync() => _server = await FerryServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task BuildPage_ShowsTheEnd_AndLoadEarlierOutputFillsInTheWholeLogInOrder()
    {
        var file = Path.Combine(_server.DataDirectory, "flood.yml");
        await File.WriteAllTextAsync(file, Pipeline);
        (await _server.CliAsync("set-pipeline", "-p", "flood", "-c", file, "--yes")).ExitCode.ShouldBe(0);
        var run = await _server.CliAsync(TimeSpan.FromSeconds(120), "trigger", "-j", "flood/flood", "--watch");
        run.ExitCode.ShouldBe(0, run.ToString());
        using var api = _server.NewApi();
        var build = (await api.BuildsAsync("flood", "flood"))[0]["id"]!.GetValue<long>();
        var page = await browser.Browser.NewSignedInPageAsync(_server.Url, _server.AdminToken);
        try
        {
            await page.GotoAsync($"/builds/{build}");
            var log = page.Locator("[data-build-log] .step pre");
            await Assertions.Expect(log).ToContainTextAsync($"line {Lines:D6}");
            (await log.TextContentAsync())!.ShouldNotContain("line 000001\n", customMessage: "only the end is rendered");

            var more = page.Locator("[data-action=load-earlier]");
            for (var clicks = 0; await more.CountAsync() > 0; clicks++)
            {
                clicks.ShouldBeLessThan(30, "loading earlier output comes to the start");
                var before = await more.GetAttributeAsync("data-before");
                await more.ClickAsync();
                await page.WaitForFunctionAsync(
                    "before => !document.querySelector('[data-action=load-earlier]') || document.querySelector('[data-action=load-earlier]').dataset.before !== before",
                    before);
            }

            var text = (await log.TextContentAsync())!;
            text.ShouldBe(string.Concat(Enumerable.Range(1, Lines).Select(i => $"line {i:D6}\n")));
            await Assertions.Expect(page).ToHaveURLAsync($"{_server.Url}/builds/{build}", new() { Timeout = 1000 });
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }
}
