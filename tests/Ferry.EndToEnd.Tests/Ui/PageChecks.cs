using System.Text.RegularExpressions;
using Ferry.EndToEnd.Tests.Harness;
using Microsoft.Playwright;

namespace Ferry.EndToEnd.Tests.Ui;

/// <summary>
/// Issue 13's checks of one page as it is now: no serious or critical axe-core violation, and at a phone's width no
/// page-wide horizontal scroll (the graph and a log scroll inside themselves). A page with problems is saved as a
/// screenshot.
/// </summary>
internal static class PageChecks
{
    public const int Phone = 390;

    public static readonly ViewportSize Desktop = new() { Width = 1280, Height = 800 };

    public static readonly ViewportSize PhoneSize = new() { Width = Phone, Height = 844 };

    /// <summary>The problems of the page now shown, each starting with <paramref name="name"/>.</summary>
    public static async Task<IReadOnlyList<string>> ProblemsAsync(IPage page, string name)
    {
        var problems = (await Axe.SeriousViolationsAsync(page)).Select(v => $"{name}: {v}").ToList();
        var viewport = page.ViewportSize?.Width ?? Desktop.Width;
        if (viewport <= Phone)
        {
            var width = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
            if (width > viewport)
                problems.Add($"{name}: the page scrolls sideways ({width} px wide): {await WidestAsync(page)}");
        }
        if (problems.Count > 0)
            await FailureScreenshot.SaveAsync(page, $"a11y-{viewport}{Regex.Replace(name, "[^A-Za-z0-9]+", "_")}");
        return problems;
    }

    /// <summary>Fails with every problem found, one a line.</summary>
    public static void ShouldHaveNone(IReadOnlyCollection<string> problems, ViewportSize size)
    {
        if (problems.Count > 0)
            Assert.Fail($"{problems.Count} problems at {size.Width}x{size.Height} (screenshots in {FailureScreenshot.Folder}):\n{string.Join("\n", problems)}");
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
}
