using System.Text.RegularExpressions;
using Ferry.EndToEnd.Tests.Harness;
using Microsoft.Playwright;

namespace Ferry.EndToEnd.Tests.Ui;

/// <summary>
/// The web UI in a real browser against a real `ferry server`: the dashboard, the pipeline graph, a trigger that
/// starts a build, and that build's log arriving live until it succeeds.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class PipelinePagesTests : IClassFixture<PipelinePagesTests.ServerWithPipeline>, IAsyncLifetime
{
    internal const string Pipeline = """
        resources:
          - name: app
            type: git
            check_every: never
            source: { uri: "file:///nonexistent/app.git", branch: main }
        jobs:
          - name: greet
            plan:
              - task: say-hello
                config:
                  platform: linux
                  run:
                    path: sh
                    args: [-c, "echo 'warming up'; sleep 3; echo 'Hello from the greet job'"]
          - name: unit
            plan:
              - get: app
              - task: test
                config:
                  platform: linux
                  run: { path: sh, args: [-c, "echo unit"] }
          - name: deploy
            plan:
              - get: app
                passed: [unit]
        """;

    private readonly ServerWithPipeline _fixture;
    private readonly BrowserFixture _browser;
    private IPage _page = null!;

    public PipelinePagesTests(ServerWithPipeline fixture, BrowserFixture browser)
    {
        _fixture = fixture;
        _browser = browser;
    }

    private FerryServer Server => _fixture.Server;

    public async Task InitializeAsync() => _page = await _browser.Browser.NewSignedInPageAsync(Server.Url, Server.AdminToken);

    public async Task DisposeAsync() => await _page.Context.CloseAsync();

    [Fact]
    public async Task Dashboard_ListsThePipelineAndItsJobs_WhenOneIsSet()
    {
        var response = await _page.GotoAsync("/");

        response!.Status.ShouldBe(200);
        var card = _page.Locator("[data-pipeline=ui]");
        await Assertions.Expect(card.Locator("h2 a")).ToHaveTextAsync("ui");
        await Assertions.Expect(card.Locator("[data-job]")).ToHaveTextAsync(["greet", "unit", "deploy"]);
        // The stylesheet comes from the server's own assembly, wherever it runs from.
        (await _page.EvaluateAsync<string>("getComputedStyle(document.querySelector('header.top')).backgroundColor")).ShouldBe("rgb(29, 35, 48)");
    }

    [Fact]
    public async Task PipelinePage_DrawsJobsResourcesAndPassedEdges_AsSvg()
    {
        await _page.GotoAsync("/");
        await _page.ClickAsync("[data-pipeline=ui] h2 a");

        await Assertions.Expect(_page).ToHaveURLAsync(new Regex("/pipelines/ui$"));
        var svg = _page.Locator("svg[data-graph]");
        await Assertions.Expect(svg.Locator("g.job")).ToHaveCountAsync(3);
        (await svg.Locator("g.job").EvaluateAllAsync<string[]>("nodes => nodes.map(n => n.dataset.name)")).ShouldBe(["greet", "unit", "deploy"], ignoreOrder: true);
        await Assertions.Expect(svg.Locator("g.resource[data-name=app]")).ToHaveCountAsync(1);
        await Assertions.Expect(svg.Locator("path.edge.passed[data-from=unit][data-to=deploy]")).ToHaveCountAsync(1);
        await Assertions.Expect(svg.Locator("path.edge.input[data-from=app][data-to=unit]")).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task TriggerButton_StartsABuild_AndItsPageShowsTheLogLiveUntilSucceeded()
    {
        await _page.GotoAsync("/pipelines/ui");

        await _page.Locator("[data-jobs] tr[data-job=greet] [data-action=trigger]").ClickAsync();

        await Assertions.Expect(_page).ToHaveURLAsync(new Regex(@"/builds/\d+$"));
        // The build sleeps between its two lines: the page was rendered while it ran, so what follows came live.
        (await _page.Locator("[data-build-log]").GetAttributeAsync("data-final")).ShouldBe("false");
        var log = _page.Locator("[data-build-log] .step pre");
        await Assertions.Expect(log).ToContainTextAsync("warming up", new() { Timeout = 30_000 });
        await Assertions.Expect(_page.Locator("[data-build-status]")).ToHaveAttributeAsync("data-status", "succeeded", new() { Timeout = 30_000 });
        await Assertions.Expect(log).ToContainTextAsync("Hello from the greet job");
        await Assertions.Expect(_page.Locator("[data-build-log]")).ToHaveAttributeAsync("data-final", "true");
        await Assertions.Expect(_page.Locator("[data-step] .outcome [data-status=succeeded]")).ToHaveCountAsync(1);

        // The same build, loaded again, is rendered whole by the server.
        await _page.ReloadAsync();
        await Assertions.Expect(_page.Locator("[data-build-log] .step pre")).ToContainTextAsync("Hello from the greet job");
        await _page.ClickAsync(".crumbs a:has-text('greet')");
        await Assertions.Expect(_page.Locator("[data-builds] tbody tr")).ToHaveCountAsync(1);
        await Assertions.Expect(_page.Locator("[data-builds] [data-status]")).ToHaveAttributeAsync("data-status", "succeeded");
    }

    [Fact]
    public async Task TriggerButton_ShowsWhy_WhenAnInputHasNoVersion()
    {
        await _page.GotoAsync("/pipelines/ui");

        await _page.Locator("[data-jobs] tr[data-job=unit] [data-action=trigger]").ClickAsync();

        await Assertions.Expect(_page.Locator("[data-refusal]"))
            .ToHaveTextAsync("cannot trigger job 'ui/unit': input 'app': latest version of resource not found");
        await Assertions.Expect(_page).ToHaveURLAsync(new Regex("/pipelines/ui$"));
    }

    [Fact]
    public async Task PauseButton_PausesAndUnpausesThePipeline()
    {
        using var api = Server.NewApi();
        await _page.GotoAsync("/pipelines/ui");

        await _page.ClickAsync("[data-action=pause]");
        await Assertions.Expect(_page.Locator("h1 .status.paused")).ToHaveCountAsync(1);
        (await api.GetAsync("pipelines/ui"))["paused"]!.GetValue<bool>().ShouldBeTrue();

        await _page.ClickAsync("[data-action=unpause]");
        await Assertions.Expect(_page.Locator("h1 .status.paused")).ToHaveCountAsync(0);
        (await api.GetAsync("pipelines/ui"))["paused"]!.GetValue<bool>().ShouldBeFalse();
    }

    [Fact]
    public async Task UnknownPage_ShowsTheNotFoundPage_With404()
    {
        var response = await _page.GotoAsync("/pipelines/ghost");

        response!.Status.ShouldBe(404);
        await Assertions.Expect(_page.Locator("h1")).ToHaveTextAsync("Not found");
        await Assertions.Expect(_page.Locator("main")).ToContainTextAsync("/pipelines/ghost");
    }

    /// <summary>One server with the pipeline for all tests of the class: only the trigger test starts builds of greet.</summary>
    public sealed class ServerWithPipeline : IAsyncLifetime
    {
        internal FerryServer Server { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Server = await FerryServer.StartAsync();
            var file = Path.Combine(Server.DataDirectory, "ui.yml");
            await File.WriteAllTextAsync(file, Pipeline);
            var set = await Server.CliAsync("set-pipeline", "-p", "ui", "-c", file, "--yes");
            set.ExitCode.ShouldBe(0, set.ToString());
        }

        public async Task DisposeAsync() => await Server.DisposeAsync();
    }
}
