using System.Text.RegularExpressions;
using Ferry.Core.Promotion;
using Ferry.EndToEnd.Tests.Harness;
using Ferry.Engine.Promoting;
using Ferry.Storage;
using Microsoft.Playwright;

namespace Ferry.EndToEnd.Tests.Ui;

/// <summary>
/// The environments view in a real browser, against a whole server in this process (the test makes users and tokens
/// in its store) with a real git repository: a commit reaches development by itself; staging takes it through the
/// preview and its confirm button; production refuses what it must, waits for an approval from ops, and gets it.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class EnvironmentsViewTests(BrowserFixture browser) : IAsyncLifetime
{
    private const string Pipeline = """
        resources:
          - name: app
            type: git
            check_every: 1s
            source: { uri: ((repo)), branch: main }
        jobs:
          - name: unit
            plan:
              - get: app
                trigger: true
              - task: test
                config:
                  platform: linux
                  inputs: [{ name: app }]
                  run: { path: sh, args: [-c, "cat app/NOTES.md"] }
        environments:
          - name: development
            release: [app]
            from: [unit]
            promote: auto
            deploy:
              - task: deploy
                config: { platform: linux, run: { path: sh, args: [-c, "echo deploying $FERRY_RELEASE to $FERRY_ENVIRONMENT"] } }
            verify:
              - task: smoke
                config: { platform: linux, run: { path: sh, args: [-c, "echo smoke ok"] } }
          - name: staging
            from: [development]
            promote: manual
            deploy:
              - task: deploy
                config: { platform: linux, run: { path: sh, args: [-c, "echo deploying $FERRY_RELEASE to $FERRY_ENVIRONMENT"] } }
          - name: production
            from: [staging]
            promote: manual
            approval: { required: 1, from: [ops] }
            variables:
              GREETING: { required: true }
            deploy:
              - task: deploy
                config: { platform: linux, run: { path: sh, args: [-c, "echo deploying $FERRY_RELEASE with $GREETING"] } }
        """;

    private InProcessFerry _ferry = null!;
    private GitRepository _repo = null!;

    private IStore Store => _ferry.Service<IStore>();

    private Promotions Promotions => _ferry.Service<Promotions>();

    public async Task InitializeAsync()
    {
        _repo = await GitRepository.CreateAsync();
        await _repo.CommitAsync("NOTES.md", "the first release\n", "a first change");
        _ferry = await InProcessFerry.StartAsync("env");
        var set = await Shell.RunAsync("dotnet", [Path.Combine(AppContext.BaseDirectory, "ferry.dll"), "set-pipeline", "-p", "train", "-c", await PipelineFileAsync(),
            "-v", $"repo={_repo.Uri}", "--yes"], environment: Cli());
        set.ExitCode.ShouldBe(0, set.ToString());
    }

    public async Task DisposeAsync()
    {
        await _ferry.DisposeAsync();
        await _repo.DisposeAsync();
    }

    [Fact]
    public async Task EnvironmentsView_PromotesThroughThePreview_ShowsRefusals_AndPromotesOnApproval()
    {
        // alice operates main's pipelines; olga sees this one only as an approver of production (ops).
        await Store.SaveUserAsync("alice", owner: false, [new TeamMembership("main", TeamRole.Operator), new TeamMembership("dev", TeamRole.Member)]);
        await Store.UpsertUserAsync("olga", owner: false, ["ops"]);
        var alice = (await Store.CreateApiTokenAsync("alice")).Token;
        var olga = (await Store.CreateApiTokenAsync("olga")).Token;
        var page = await browser.Browser.NewSignedInPageAsync(_ferry.Url, _ferry.AdminToken);

        // The graph draws the chain after the job the first environment forms releases from.
        await page.GotoAsync("/pipelines/train");
        var svg = page.Locator("svg[data-graph]");
        await Assertions.Expect(svg.Locator("g.environment")).ToHaveCountAsync(3);
        await Assertions.Expect(svg.Locator("path.edge.release[data-from=unit][data-to=development]")).ToHaveCountAsync(1);
        await Assertions.Expect(svg.Locator("path.edge.release[data-from=staging][data-to=production]")).ToHaveCountAsync(1);

        // The commit passes unit, becomes r1 and development takes it by itself.
        await EventuallyAsync(page, "/pipelines/train/environments", "tr[data-environment=development][data-current=r1]");
        await Assertions.Expect(page.Locator("[data-releases] tr[data-release=r1] [data-verified-in]")).ToHaveTextAsync("development");
        await Assertions.Expect(page.Locator("tr[data-environment=staging] [data-why]"))
            .ToHaveTextAsync("r1 is eligible for staging and waits for someone to promote it (promote: manual).");

        // Production cannot take a release that would skip staging: the refusal says so.
        await page.Locator("tr[data-environment=production] [data-action=promote]").ClickAsync();
        var refusal = page.Locator("[data-refusal]");
        await Assertions.Expect(refusal).ToHaveAttributeAsync("data-refusal", "would_skip_environment");
        await Assertions.Expect(refusal).ToContainTextAsync("staging");
        await Assertions.Expect(page.Locator("[data-action=confirm-promote]")).ToHaveCountAsync(0);

        // Staging: the preview first, then the confirm button promotes.
        await page.Locator("tr[data-environment=staging] [data-action=promote]").ClickAsync();
        var preview = page.Locator("[data-preview=staging]");
        await Assertions.Expect(preview).ToHaveAttributeAsync("data-release", "r1");
        await Assertions.Expect(preview.Locator("tr[data-change=app]")).ToHaveCountAsync(1);
        await page.Locator("[data-action=confirm-promote]").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/pipelines/train/environments$"));
        await EventuallyAsync(page, "/pipelines/train/environments", "tr[data-environment=staging][data-current=r1]");

        // A hold on development shows in its row until it is lifted.
        await page.Locator("tr[data-environment=development] [data-action=hold]").ClickAsync();
        await Assertions.Expect(page.Locator("tr[data-environment=development] [data-hold]")).ToHaveCountAsync(1);
        await page.Locator("tr[data-environment=development] [data-action=lift-hold]").ClickAsync();
        await Assertions.Expect(page.Locator("tr[data-environment=development] [data-hold]")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("[data-audit] tr[data-action=hold_lifted]")).ToHaveCountAsync(1);

        // Production now refuses for the key it has no value for, and names it.
        await page.Locator("tr[data-environment=production] [data-action=promote]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-preview=production] [data-refusal]")).ToHaveAttributeAsync("data-refusal", "required_variable_empty");
        await Assertions.Expect(page.Locator("[data-keys-without-value]")).ToContainTextAsync("GREETING");

        // The value is set on production's variables page, as a secret: it is never shown again.
        await page.GotoAsync("/pipelines/train/environments");
        await page.Locator("tr[data-environment=production] [data-action=variables]").ClickAsync();
        await Assertions.Expect(page.Locator("tr[data-variable=GREETING]")).ToHaveAttributeAsync("data-has-value", "false");
        await page.Locator("[data-name]").FillAsync("9lives");
        await page.Locator("[data-action=set-variable]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-refusal]")).ToHaveAttributeAsync("data-refusal", "bad_request");
        await page.Locator("[data-name]").FillAsync("GREETING");
        await page.Locator("[data-value-input]").FillAsync("Hello, secretly");
        await page.Locator("[data-secret-input]").CheckAsync();
        await page.Locator("[data-action=set-variable]").ClickAsync();
        await Assertions.Expect(page.Locator("tr[data-variable=GREETING]")).ToHaveAttributeAsync("data-has-value", "true");
        await Assertions.Expect(page.Locator("tr[data-variable=GREETING] [data-secret]")).ToHaveCountAsync(1);
        (await page.ContentAsync()).ShouldNotContain("Hello, secretly");

        // Alice (dev) asks for the promotion; she is no approver.
        await SignInAsync(page, alice, "alice");
        await page.GotoAsync("/pipelines/train/environments?preview=production");
        await page.Locator("[data-action=confirm-promote]").ClickAsync();
        var awaiting = page.Locator("[data-awaiting] tr[data-environment=production]");
        await Assertions.Expect(awaiting).ToHaveCountAsync(1);
        await awaiting.Locator("[data-action=approve]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-refusal]")).ToContainTextAsync("alice");

        // Olga (ops) may approve, but nothing else here: her promote and hold buttons are disabled and say why.
        await page.Locator("[data-action=sign-out]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-who]")).ToHaveAttributeAsync("data-who", "anonymous");
        await SignInAsync(page, olga, "olga");
        await page.GotoAsync("/pipelines/train/environments");
        var hold = page.Locator("tr[data-environment=staging] [data-action=hold]");
        await Assertions.Expect(hold).ToBeDisabledAsync();
        await Assertions.Expect(hold).ToHaveAttributeAsync("title", "olga needs the operator role in team main to put or lift holds on environments of pipeline train");
        await Assertions.Expect(page.Locator("tr[data-environment=staging] [data-action=promote]")).ToBeDisabledAsync();
        await page.Locator("[data-awaiting] tr[data-environment=production] [data-action=approve]").ClickAsync();
        await EventuallyAsync(page, "/pipelines/train/environments", "tr[data-environment=production][data-current=r1]");
        await Assertions.Expect(page.Locator("[data-audit] tr[data-action=approval]")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("[data-releases] tr[data-release=r1] [data-verified-in]")).ToHaveTextAsync("development, staging, production");

        // A second commit reaches development; rolling development back to r1 (as admin again) holds it there.
        await SignInAsync(page, _ferry.AdminToken, "admin");
        await _repo.CommitAsync("NOTES.md", "the second release\n", "a second change");
        await Shell.RunAsync("dotnet", [Path.Combine(AppContext.BaseDirectory, "ferry.dll"), "check", "-r", "train/app"], environment: Cli());
        await EventuallyAsync(page, "/pipelines/train/environments", "tr[data-environment=development][data-current=r2]");
        await page.Locator("tr[data-environment=development] [data-action=rollback][data-release=r1]").ClickAsync();
        await EventuallyAsync(page, "/pipelines/train/environments", "tr[data-environment=development][data-current=r1]");
        await Assertions.Expect(page.Locator("tr[data-environment=development] [data-hold]")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("[data-audit] tr[data-action=rollback]")).ToHaveCountAsync(1);
    }

    /// <summary>The CLI's environment: this server, as admin, with saved targets kept out of the user's home.</summary>
    private Dictionary<string, string> Cli() => new()
    {
        ["FERRY_URL"] = _ferry.Url,
        ["FERRY_TOKEN"] = _ferry.AdminToken,
        ["XDG_CONFIG_HOME"] = Path.Combine(_ferry.DataDirectory, "cli-config"),
    };

    private static async Task SignInAsync(IPage page, string token, string name)
    {
        await page.GotoAsync("/sign-in");
        await page.Locator("[data-token]").FillAsync(token);
        await page.Locator("form [data-action=sign-in]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-who]")).ToHaveAttributeAsync("data-who", name);
    }

    /// <summary>The view is rendered on the server: load it again until <paramref name="selector"/> shows (promotions run in the background).</summary>
    private async Task EventuallyAsync(IPage page, string path, string selector)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            await page.GotoAsync(path);
            if (await page.Locator(selector).CountAsync() > 0)
            {
                return;
            }
            await Task.Delay(500);
        }
        var promotions = await Promotions.ListPromotionsAsync("train", null, 20, CancellationToken.None);
        throw new TimeoutException($"{path} never showed {selector}; promotions: {string.Join("; ", promotions.Select(p => $"{p.Environment} {p.Release} {p.Status} {p.Reason}"))}");
    }

    private async Task<string> PipelineFileAsync()
    {
        var file = Path.Combine(_ferry.DataDirectory, "train.yml");
        await File.WriteAllTextAsync(file, Pipeline);
        return file;
    }
}
