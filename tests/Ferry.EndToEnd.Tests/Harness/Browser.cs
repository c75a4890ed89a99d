using Microsoft.Playwright;

namespace Ferry.EndToEnd.Tests.Harness;

/// <summary>
/// The machine's Chromium (apt <c>chromium</c>; test.sh installs it) driven by Playwright, headless. Never a browser
/// Playwright downloads: there is none to download here.
/// </summary>
internal sealed class Browser : IAsyncDisposable
{
    public const string Chromium = "/usr/bin/chromium";

    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;

    private Browser(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        _browser = browser;
    }

    public static async Task<Browser> LaunchAsync()
    {
        if (!File.Exists(Chromium))
        {
            throw new FileNotFoundException($"the UI tests need Chromium at {Chromium}: apt-get install -y chromium (test.sh does)");
        }
        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = Chromium,
                Headless = true,
                Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--no-first-run"],
            });
            return new Browser(playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    /// <summary>A fresh page (own cookies) whose relative URLs go to <paramref name="baseUrl"/>.</summary>
    public async Task<IPage> NewPageAsync(string baseUrl)
    {
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseUrl });
        context.SetDefaultTimeout(15_000);
        return await context.NewPageAsync();
    }

    /// <summary>A fresh page signed in with <paramref name="token"/>: the cookie the sign-in page would have set.</summary>
    public async Task<IPage> NewSignedInPageAsync(string baseUrl, string token)
    {
        var page = await NewPageAsync(baseUrl);
        await page.Context.AddCookiesAsync([new Cookie { Name = "ferry_token", Value = token, Url = baseUrl, HttpOnly = true, SameSite = SameSiteAttribute.Strict }]);
        return page;
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }
}
