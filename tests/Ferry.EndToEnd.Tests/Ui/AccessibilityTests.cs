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
    private const int Phone = 390;

    private IEnumerable<string> Pages =>
    [
        "/",
        Links(AccessibilityServer.PipelineName),
        $"{Links(AccessibilityServer.PipelineName)}/jobs/unit",
        $"/builds/{server.BuildId}",
        $"{Links(AccessibilityServer.PipelineName)}/environments",
        $"{Links(AccessibilityServer.PipelineName)}/environments?preview=staging",
        $"{Links(AccessibilityServer.PipelineName)}/environments/development/variables",
        "/users",
        "/pipelines/ghost",
    ];

    [AxeFact]
    public async Task EveryPage_HasNoSeriousAxeViolation_AtDesktopWidth() => await CheckAsync(new ViewportSize { Width = 1280, Height = 800 });

    [AxeFact]
    public async Task EveryPage_HasNoSeriousAxeViolationNorHorizontalScroll_AtPhoneWidth() => await CheckAsync(new ViewportSize { Width = Phone, Height = 844 });

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
                problems.AddRange(await ProblemsAsync(page, path, size));
            problems.AddRange(await ProblemsAsync(signedOut, "/sign-in", size));
        }
        finally
        {
            await page.Context.CloseAsync();
            await signedOut.Context.CloseAsync();
        }
        if (problems.Count > 0)
            Assert.Fail($"{problems.Count} problems at {size.Width}x{size.Height} (screenshots in {Screenshots.Directory}):\n{string.Join("\n", problems)}");
    }

    private static async Task<IReadOnlyList<string>> ProblemsAsync(IPage page, string path, ViewportSize size)
    {
        await page.GotoAsync(path);
        var problems = (await Axe.SeriousViolationsAsync(page)).Select(v => $"{path}: {v}").ToList();
        if (size.Width == Phone)
        {
            var width = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
            if (width > Phone)
                problems.Add($"{path}: the page scrolls sideways ({width} px wide): {await WidestAsync(page)}");
        }
        if (problems.Count > 0)
            await Screenshots.SaveAsync(page, $"{nameof(AccessibilityTests)}.{size.Width}{Regex.Replace(path, "[^A-Za-z0-9]+", "_")}");
        return problems;
    }

    /// <summary>What sticks out past the viewport's right edge, so that a failure says what to fix.</summary>
    private static async Task<string> WidestAsync(IPage page) => await page.EvaluateAsync<string>("""
        () => [...document.querySelectorAll('body *')]
          .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
          .filter(e => !e.parentElement || e.parentElement.getBoundingClientRect().right <= document.documentElement.clientWidth + 1)
          .slice(0, 8)
          .map(e => e.tagName.toLowerCase() + (e.className && typeof e.className === 'string' ? '.' + e.className.trim().replace(/\s+/g, '.') : '')
            + ' (' + Math.round(e.getBoundingClientRect().right) + ')')
          .join(', ')
        """);

    private static string Links(string pipeline) => $"/pipelines/{pipeline}";
}
