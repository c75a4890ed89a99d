using Microsoft.Playwright;

namespace Ferry.EndToEnd.Tests.Ui;

/// <summary>
/// A browser test's page as it was when the test failed, saved as a PNG under $FERRY_TEST_WORK/screenshots (or the temp
/// folder), its path added to the failure's message: what the page showed is usually the quickest answer to why.
/// </summary>
internal static class FailureScreenshot
{
    public static async Task OnFailureAsync(this IPage page, string test, Func<Task> body)
    {
        try
        {
            await body();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var folder = Path.Combine(Environment.GetEnvironmentVariable("FERRY_TEST_WORK") is { Length: > 0 } work ? work : Path.GetTempPath(), "screenshots");
            Directory.CreateDirectory(folder);
            var file = Path.Combine(folder, $"{test}-{DateTime.UtcNow:yyyyMMdd-HHmmss}.png");
            try
            {
                await page.ScreenshotAsync(new PageScreenshotOptions { Path = file, FullPage = true });
            }
            catch (PlaywrightException shot)
            {
                throw new AggregateException($"{e.Message}\n(no screenshot: {shot.Message})", e);
            }
            throw new AggregateException($"{e.Message}\nscreenshot of the page: {file}", e);
        }
    }
}
