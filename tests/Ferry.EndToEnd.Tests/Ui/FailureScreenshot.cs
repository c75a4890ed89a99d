using Ferry.EndToEnd.Tests.Harness;
using Microsoft.Playwright;

namespace Ferry.EndToEnd.Tests.Ui;

/// <summary>
/// A browser test's page as it was when the test failed, saved as a PNG under $FERRY_TEST_WORK/screenshots (test.sh's
/// work directory), else TestResults/screenshots in the repository, its path added to the failure's message: what the
/// page showed is usually the quickest answer to why. Wrap a test's body:
/// <c>await page.OnFailureAsync(nameof(MyTest), async () => { ... });</c>
/// </summary>
internal static class FailureScreenshot
{
    public static string Folder => Environment.GetEnvironmentVariable("FERRY_TEST_WORK") is { Length: > 0 } work
        ? Path.Combine(work, "screenshots")
        : Path.Combine(RepositoryRoot.Path, "TestResults", "screenshots");

    public static async Task OnFailureAsync(this IPage page, string test, Func<Task> body)
    {
        try
        {
            await body();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new AggregateException($"{e.Message}\n{await SaveAsync(page, $"{test}-{DateTime.UtcNow:yyyyMMdd-HHmmss}")}", e);
        }
    }

    /// <summary>Saves the page as <paramref name="name"/>.png; says where, or why there is no screenshot.</summary>
    public static async Task<string> SaveAsync(IPage page, string name)
    {
        var file = Path.Combine(Folder, $"{name}.png");
        try
        {
            Directory.CreateDirectory(Folder);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = file, FullPage = true, Timeout = 10_000 });
            return $"screenshot of the page ({page.Url}): {file}";
        }
        catch (PlaywrightException shot)
        {
            return $"(no screenshot of {page.Url}: {shot.Message})";
        }
    }
}
