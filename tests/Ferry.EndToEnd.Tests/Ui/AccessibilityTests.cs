using System.Text.RegularExpressions;
using Ferry.EndToEnd.Tests.Harness;
using Microsoft.Playwright;

namespace Ferry.EndToEnd.Tests.Ui;

/// <summary>
/// Issue 13's phone width and accessibility: every page, at desktop width and at a phone's 390 px, has no serious or
/// critical axe-core violation and no page-wide horizontal scroll (the graph and a log scroll inside themselves).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class AccessibilityTests(AccessibilityServer server, BrowserFixture browser) : IClassFixture<AccessibilityServer>
{
    private IEnumerable<string> Pages =>
    [
        "/",
        Links(AccessibilityServer.PipelineName),
        $"{Links(AccessibilityServer.PipelineName)}/jobs/unit",
        $"{Links(AccessibilityServer.PipelineName)}/resources/app",
        $"/builds/{server.BuildId}",
        $"{Links(AccessibilityServer.PipelineName)}/environments",
        $"{Links(AccessibilityServer.PipelineName)}/environments?preview=staging",
        $"{Links(AccessibilityServer.PipelineName)}/environments/development/variables",
        "/users",
        "/workers",
        "/pipelines/ghost",
    ];

    [AxeFact]
    public async Task EveryPage_HasNoSeriousAxeViolation_AtDesktopWidth() => await CheckAsync(PageChecks.Desktop);

    [AxeFact]
    public async Task EveryPage_HasNoSeriousAxeViolationNorHorizontalScroll_AtPhoneWidth() => await CheckAsync(PageChecks.PhoneSize);

    [Fact]
    public async Task EnvironmentsPage_PromotesThroughThePreview_ByKeyboardAlone()
    {
        var page = await browser.Browser.NewSignedInPageAsync(server.Url, server.AdminToken);
        await page.OnFailureAsync(nameof(EnvironmentsPage_PromotesThroughThePreview_ByKeyboardAlone), async () =>
        {
            await page.GotoAsync($"{Links(AccessibilityServer.PipelineName)}/environments");
            (await page.Locator("[data-environments] tr[data-environment=staging]").GetAttributeAsync("data-status")).ShouldBeNull();

            // The first Tab offers to skip the top bar; following it puts the keyboard in the page's content.
            await page.Keyboard.PressAsync("Tab");
            (await FocusedAsync(page, "a.skip")).ShouldBeTrue("the first Tab reaches the skip link");
            await page.Keyboard.PressAsync("Enter");
            (await page.EvaluateAsync<string>("() => document.activeElement.id")).ShouldBe("main");

            await TabToAsync(page, "tr[data-environment=staging] [data-action=promote]");
            await page.Keyboard.PressAsync("Enter");
            await Assertions.Expect(page.Locator("[data-preview=staging]")).ToHaveAttributeAsync("data-release", "r1");

            await TabToAsync(page, "[data-action=confirm-promote]");
            await page.Keyboard.PressAsync("Enter");
            await Assertions.Expect(page).ToHaveURLAsync(new Regex("/environments$"));
            // Staging had no promotion before: its row now has one's status.
            await Assertions.Expect(page.Locator("[data-environments] tr[data-environment=staging]")).ToHaveAttributeAsync("data-status", new Regex(".+"));
        });
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task SignInPage_SignsIn_ByKeyboardAlone()
    {
        var page = await browser.Browser.NewPageAsync(server.Url);
        await page.SetViewportSizeAsync(PageChecks.Phone, 844);
        await page.OnFailureAsync(nameof(SignInPage_SignsIn_ByKeyboardAlone), async () =>
        {
            await page.GotoAsync("/sign-in");

            await TabToAsync(page, "[data-token]");
            await page.Keyboard.TypeAsync(server.AdminToken);
            await TabToAsync(page, "form [data-action=sign-in]");
            await page.Keyboard.PressAsync("Space");

            await Assertions.Expect(page.Locator("[data-who]")).ToHaveAttributeAsync("data-who", "admin");
        });
        await page.Context.CloseAsync();
    }

    /// <summary>Presses Tab until <paramref name="selector"/> has the focus, and checks that the focus shows.</summary>
    private static async Task TabToAsync(IPage page, string selector)
    {
        for (var tabs = 0; tabs < 200; tabs++)
        {
            await page.Keyboard.PressAsync("Tab");
            if (!await FocusedAsync(page, selector))
                continue;
            var ring = await page.EvaluateAsync<string>("() => { const s = getComputedStyle(document.activeElement); return s.outlineStyle + ' ' + s.outlineWidth; }");
            ring.ShouldBe("solid 3px", $"{selector} shows that it has the keyboard's focus");
            return;
        }
        throw new ShouldAssertException($"200 Tabs never reached {selector}");
    }

    private static async Task<bool> FocusedAsync(IPage page, string selector) =>
        await page.EvaluateAsync<bool>("s => !!document.activeElement && document.activeElement.matches(s) && document.activeElement.matches(':focus-visible')", selector);

    private async Task CheckAsync(ViewportSize size)
    {
        var problems = new List<string>();
        var page = await browser.Browser.NewSignedInPageAsync(server.Url, server.AdminToken);
        await page.SetViewportSizeAsync(size.Width, size.Height);
        var signedOut = await browser.Browser.NewPageAsync(server.Url);
        await signedOut.SetViewportSizeAsync(size.Width, size.Height);
        try
        {
            foreach (var path in Pages)
            {
                await page.GotoAsync(path);
                problems.AddRange(await PageChecks.ProblemsAsync(page, path));
            }
            await signedOut.GotoAsync("/sign-in");
            problems.AddRange(await PageChecks.ProblemsAsync(signedOut, "/sign-in"));
        }
        finally
        {
            await page.Context.CloseAsync();
            await signedOut.Context.CloseAsync();
        }
        PageChecks.ShouldHaveNone(problems, size);
    }

    private static string Links(string pipeline) => $"/pipelines/{pipeline}";
}
