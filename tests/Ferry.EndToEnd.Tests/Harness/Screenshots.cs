using System.Runtime.CompilerServices;
using Microsoft.Playwright;

namespace Ferry.EndToEnd.Tests.Harness;

/// <summary>
/// What a browser test showed when it failed: a full-page screenshot under $FERRY_TEST_WORK/screenshots (test.sh's
/// work directory, which CI keeps), else TestResults/screenshots in the repository, named after the test.
/// Wrap a test's body: <c>await page.ScreenshotOnFailureAsync(async () => { ... });</c>
/// </summary>
internal static class Screenshots
{
    public static string Directory
    {
        get
        {
            var work = Environment.GetEnvironmentVariable("FERRY_TEST_WORK");
            return work is { Length: > 0 }
                ? Path.Combine(work, "screenshots")
                : Path.Combine(RepositoryRoot.Path, "TestResults", "screenshots");
        }
    }

    /// <summary>Runs <paramref name="body"/>; when it throws, saves the page as it is and throws again, naming the file.</summary>
    public static async Task ScreenshotOnFailureAsync(this IPage page, Func<Task> body,
        [CallerFilePath] string file = "", [CallerMemberName] string test = "")
    {
        try
        {
            await body();
        }
        catch (Exception failure)
        {
            throw new BrowserTestFailure($"{failure.Message}\n({await SaveAsync(page, $"{Path.GetFileNameWithoutExtension(file)}.{test}")})", failure);
        }
    }

    /// <summary>Saves the page as <paramref name="name"/>.png; says where, or why there is no screenshot.</summary>
    public static async Task<string> SaveAsync(IPage page, string name)
    {
        var path = Path.Combine(Directory, $"{name}.png");
        try
        {
            System.IO.Directory.CreateDirectory(Directory);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true, Timeout = 10_000 });
            return $"screenshot of {page.Url}: {path}";
        }
        catch (PlaywrightException e)
        {
            return $"no screenshot of {page.Url} ({e.Message})";
        }
    }
}

/// <summary>A browser test's failure, with where its screenshot went; the original failure is the inner exception.</summary>
internal sealed class BrowserTestFailure(string message, Exception inner) : Exception(message, inner);
