using System.Text.RegularExpressions;
using Ferry.EndToEnd.Tests.Harness;
using Microsoft.Playwright;

namespace Ferry.EndToEnd.Tests.Ui;

/// <summary>
/// Signing in and roles in a real browser against a real `ferry server`: anonymous gets the sign-in page and comes back
/// where it was; a viewer's buttons are disabled and say which role they need; an owner adds a user and revokes a
/// token on the users page, and the browser signed in with that token is sent to sign in again.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class SignInTests(SignInTests.ServerWithPipeline fixture, BrowserFixture browser) : IClassFixture<SignInTests.ServerWithPipeline>
{
    private FerryServer Server => fixture.Server;

    [Fact]
    public async Task Anonymous_GetsTheSignInPage_AndComesBackWhereItWasAfterSigningIn()
    {
        var page = await browser.Browser.NewPageAsync(Server.Url);

        await page.GotoAsync("/pipelines/roles");

        await Assertions.Expect(page).ToHaveURLAsync(new Regex(@"/sign-in\?returnUrl=%2Fpipelines%2Froles$"));
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Sign in");
        await page.Locator("[data-token]").FillAsync("ferry_not-a-token");
        await page.Locator("form [data-action=sign-in]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-refusal]")).ToHaveTextAsync("That is not a known API token (unknown or revoked).");
        await page.Locator("[data-token]").FillAsync(Server.AdminToken);
        await page.Locator("form [data-action=sign-in]").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/pipelines/roles$"));
        await Assertions.Expect(page.Locator("[data-who]")).ToHaveAttributeAsync("data-who", "admin");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Viewer_SeesTheButtonsTheyMayNotUseDisabled_WithTheRoleTheyNeed()
    {
        var page = await browser.Browser.NewSignedInPageAsync(Server.Url, fixture.ViewerToken);

        await page.GotoAsync("/pipelines/roles");

        var trigger = page.Locator("[data-jobs] tr[data-job=greet] [data-action=trigger]");
        await Assertions.Expect(trigger).ToBeDisabledAsync();
        await Assertions.Expect(trigger).ToHaveAttributeAsync("title", "vera needs the operator role in team main to trigger jobs of pipeline roles");
        var pause = page.Locator("[data-action=unpause]");
        await Assertions.Expect(pause).ToBeDisabledAsync();
        await Assertions.Expect(pause).ToHaveAttributeAsync("title", "vera needs the operator role in team main to pause or unpause pipeline roles");
        await page.GotoAsync("/pipelines/roles/jobs/greet");
        await Assertions.Expect(page.Locator("[data-action=trigger]")).ToBeDisabledAsync();
        using var api = Server.NewApi();
        (await api.BuildsAsync("roles", "greet")).ShouldBeEmpty();
        await page.GotoAsync("/users");
        await Assertions.Expect(page.Locator("[data-action=save-user]")).ToBeDisabledAsync();
        await Assertions.Expect(page.Locator("[data-action=save-user]")).ToHaveAttributeAsync("title", "vera is not an owner: only owners add, change and remove users");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Owner_AddsAUserAndRevokesTheirToken_AndTheirBrowserIsSentToSignInAtOnce()
    {
        var owner = await browser.Browser.NewSignedInPageAsync(Server.Url, Server.AdminToken);
        await owner.GotoAsync("/");
        await owner.Locator("[data-nav=users]").ClickAsync();

        await owner.Locator("[data-form=save-user] [data-name]").FillAsync("walt");
        await owner.Locator("[data-form=save-user] [data-teams]").FillAsync("main:operator");
        await owner.Locator("[data-action=save-user]").ClickAsync();
        await Assertions.Expect(owner.Locator("tr[data-user=walt]")).ToContainTextAsync("operator in main");
        await owner.Locator("[data-form=create-token] [data-token-user]").FillAsync("walt");
        await owner.Locator("[data-form=create-token] [data-label]").FillAsync("browser");
        await owner.Locator("[data-action=create-token]").ClickAsync();
        var token = await owner.Locator("[data-token-value]").TextContentAsync();
        token.ShouldStartWith("ferry_");

        var walt = await browser.Browser.NewSignedInPageAsync(Server.Url, token);
        await walt.GotoAsync("/pipelines/roles");
        await Assertions.Expect(walt.Locator("[data-who]")).ToHaveAttributeAsync("data-who", "walt");
        await Assertions.Expect(walt.Locator("[data-jobs] tr[data-job=greet] [data-action=trigger]")).ToBeEnabledAsync();

        await owner.GotoAsync("/users");
        await owner.Locator("tr[data-user=walt][data-token] [data-action=revoke]").ClickAsync();
        await Assertions.Expect(owner.Locator("tr[data-user=walt][data-token]")).ToHaveCountAsync(0);

        await walt.Locator("[data-jobs] tr[data-job=greet] [data-action=trigger]").ClickAsync();
        await Assertions.Expect(walt).ToHaveURLAsync(new Regex(@"/sign-in\?returnUrl=%2Fpipelines%2Froles&expired=true$"));
        await Assertions.Expect(walt.Locator("[data-expired]")).ToHaveCountAsync(1);
        using var api = Server.NewApi();
        (await api.BuildsAsync("roles", "greet")).ShouldBeEmpty("the revoked token's form changed nothing");
        await walt.Context.CloseAsync();
        await owner.Context.CloseAsync();
    }

    /// <summary>A server with the pipeline roles (one job, in team main) and vera, a viewer of main.</summary>
    public sealed class ServerWithPipeline : IAsyncLifetime
    {
        internal FerryServer Server { get; private set; } = null!;

        internal string ViewerToken { get; private set; } = "";

        public async Task InitializeAsync()
        {
            Server = await FerryServer.StartAsync();
            var file = Path.Combine(Server.DataDirectory, "roles.yml");
            await File.WriteAllTextAsync(file, """
                jobs:
                  - name: greet
                    plan:
                      - task: hello
                        config:
                          platform: linux
                          run: { path: sh, args: [-c, "echo hello"] }
                """);
            (await Server.CliAsync("set-pipeline", "-p", "roles", "-c", file, "--yes", "--paused")).ExitCode.ShouldBe(0);
            var vera = await Server.CliAsync("user", "add", "vera", "--team", "main:viewer");
            vera.ExitCode.ShouldBe(0, vera.ToString());
            ViewerToken = vera.Output.TrimEnd().Split('\n')[^1];
        }

        public async Task DisposeAsync() => await Server.DisposeAsync();
    }
}
