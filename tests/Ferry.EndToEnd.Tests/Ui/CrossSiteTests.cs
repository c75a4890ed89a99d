using System.Net;
using System.Net.Sockets;
using System.Text;
using Ferry.EndToEnd.Tests.Harness;
using Ferry.Storage;
using Ferry.Tests.LocalServers;
using Microsoft.Playwright;

namespace Ferry.EndToEnd.Tests.Ui;

/// <summary>
/// A signed-in browser against a real server: a page of another origin on the same machine (the same site, so the
/// SameSite=Strict cookie goes along) cannot make Ferry act through its API, while Ferry's own pages can; and no page
/// of Ferry's trips its content security policy.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class CrossSiteTests(BrowserFixture browser) : IAsyncLifetime
{
    private const string Pipeline = """
        jobs:
          - name: unit
            plan:
              - task: test
                config: { platform: linux, run: { path: sh, args: [-c, "echo unit"] } }
        """;

    private InProcessFerry _ferry = null!;

    private IStore Store => _ferry.Service<IStore>();

    public async Task InitializeAsync()
    {
        _ferry = await InProcessFerry.StartAsync("csrf", runLoops: false);
        using var api = new HttpClient { BaseAddress = new Uri(_ferry.Url) };
        api.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", _ferry.AdminToken);
        using var set = await api.PutAsync("/api/v1/pipelines/target/config",
            new StringContent(System.Text.Json.JsonSerializer.Serialize(new { config = Pipeline }), Encoding.UTF8, "application/json"));
        set.EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync()
    {
        await _ferry.DisposeAsync();
    }

    [Fact]
    public async Task AnotherOriginsForm_CannotTriggerAJob_WhileFerrysOwnPageCan()
    {
        await Store.UpsertUserAsync("victim", owner: true, []);
        var token = (await Store.CreateApiTokenAsync("victim")).Token;
        using var attacker = AttackerSite.Serve($"""
            <!DOCTYPE html><html><body>
            <form id="forged" method="post" action="{_ferry.Url}/api/v1/pipelines/target/jobs/unit/builds"></form>
            <script>document.getElementById("forged").submit();</script>
            </body></html>
            """);
        var page = await browser.Browser.NewPageAsync(_ferry.Url);
        try
        {
            await SignInAsync(page, token, "victim");

            var forged = await page.RunAndWaitForResponseAsync(() => page.GotoAsync(attacker.Url),
                r => r.Url.EndsWith("/api/v1/pipelines/target/jobs/unit/builds", StringComparison.Ordinal));

            forged.Status.ShouldBe(403);
            (await forged.TextAsync()).ShouldContain("ferry_token cookie");
            (await Store.ListBuildsAsync(new BuildQuery())).ShouldBeEmpty("the forged request started nothing");

            await page.GotoAsync("/pipelines/target");
            var own = await page.EvaluateAsync<int>("async () => (await fetch('/api/v1/pipelines/target/jobs/unit/builds', { method: 'POST' })).status");
            own.ShouldBe(201, "Ferry's own page sends its origin, and the cookie signs it in");
            (await Store.ListBuildsAsync(new BuildQuery())).Single().CreatedBy.ShouldBe("victim");
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task Pages_TripNoContentSecurityPolicy_WhenBrowsed()
    {
        await Store.UpsertUserAsync("browser", owner: true, []);
        var token = (await Store.CreateApiTokenAsync("browser")).Token;
        var page = await browser.Browser.NewPageAsync(_ferry.Url);
        var violations = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                violations.Add($"{page.Url}: {message.Text}");
            }
        };
        try
        {
            await SignInAsync(page, token, "browser");
            foreach (var path in new[] { "/", "/pipelines/target", "/pipelines/target/jobs/unit", "/sign-in", "/no-such-page" })
            {
                await page.GotoAsync(path);
                await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            }
            (await page.EvaluateAsync<string>("getComputedStyle(document.querySelector('header.top')).backgroundColor")).ShouldBe("rgb(29, 35, 48)",
                "Ferry's own stylesheet is allowed");

            violations.ShouldBeEmpty();
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    private static async Task SignInAsync(IPage page, string token, string name)
    {
        await page.GotoAsync("/sign-in");
        await page.Locator("[data-token]").FillAsync(token);
        await page.Locator("form [data-action=sign-in]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-who]")).ToHaveAttributeAsync("data-who", name);
    }

    /// <summary>Another origin on 127.0.0.1 (another port: the same site): serves one page to every request.</summary>
    private sealed class AttackerSite : IDisposable
    {
        private readonly HttpListener _listener = new();

        private AttackerSite(string html, int port)
        {
            Url = $"http://127.0.0.1:{port}/";
            _listener.Prefixes.Add(Url);
            _listener.Start();
            _ = Task.Run(() => ListenerLoop.ServeAsync(_listener, async context =>
            {
                var body = Encoding.UTF8.GetBytes(html);
                context.Response.ContentType = "text/html; charset=utf-8";
                await context.Response.OutputStream.WriteAsync(body);
                context.Response.Close();
            }));
        }

        public string Url { get; }

        public static AttackerSite Serve(string html)
        {
            using var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            return new AttackerSite(html, port);
        }

        public void Dispose() => _listener.Close();
    }
}
