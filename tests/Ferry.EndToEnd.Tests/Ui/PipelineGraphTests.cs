using System.Text;
using System.Text.RegularExpressions;
using Ferry.EndToEnd.Tests.Harness;
using Microsoft.Playwright;

namespace Ferry.EndToEnd.Tests.Ui;

/// <summary>
/// The pipeline graph in a real browser against a real `ferry server` and git repository: environments with their
/// release and status colour, a per-branch environment behind its for_each edge, what a node waits for on keyboard
/// focus, and a 50-job pipeline drawn without overlaps.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class PipelineGraphTests : IClassFixture<PipelineGraphTests.TrainServer>, IAsyncLifetime
{
    private const string Train = """
        resources:
          - name: app
            type: git
            check_every: 1s
            source: { uri: ((repo)), branch: main }
          - name: pull-requests
            type: git
            check_every: 1s
            source: { uri: ((repo)), branches: "pr/*" }
        jobs:
          - name: unit
            plan:
              - get: app
                trigger: true
        environments:
          - name: development
            release: [app]
            from: [unit]
            promote: auto
            deploy:
              - task: deploy
                config: { platform: linux, run: { path: sh, args: [-c, "echo deploying $FERRY_RELEASE"] } }
          - name: staging
            from: [development]
            promote: manual
            deploy:
              - task: deploy
                config: { platform: linux, run: { path: sh, args: [-c, "echo deploying $FERRY_RELEASE"] } }
          - name: pr
            for_each: pull-requests
            promote: auto
            deploy:
              - task: deploy
                config: { platform: linux, run: { path: sh, args: [-c, "echo deploying $FERRY_RELEASE"] } }
        """;

    private readonly TrainServer _fixture;
    private readonly BrowserFixture _browser;
    private IPage _page = null!;

    public PipelineGraphTests(TrainServer fixture, BrowserFixture browser)
    {
        _fixture = fixture;
        _browser = browser;
    }

    private FerryServer Server => _fixture.Server;

    public async Task InitializeAsync() => _page = await _browser.Browser.NewSignedInPageAsync(Server.Url, Server.AdminToken);

    public async Task DisposeAsync() => await _page.Context.CloseAsync();

    [Fact]
    public Task Graph_ShowsEachEnvironmentsReleaseAndStatus_AndAForEachEdgeToTheBranchEnvironment() =>
        _page.OnFailureAsync(nameof(Graph_ShowsEachEnvironmentsReleaseAndStatus_AndAForEachEdgeToTheBranchEnvironment), async () =>
        {
            // The commit passes unit and development takes r1 by itself; pr/feature-a gets pr-feature-a.
            await EventuallyAsync("g.environment[data-name=development].env-succeeded", "g.environment[data-name=pr-feature-a].env-succeeded");

            var svg = _page.Locator("svg[data-graph]");
            var development = svg.Locator("g.environment[data-name=development]");
            // Releases of main and of the branch share one numbering: which of them came first is a race.
            await Assertions.Expect(development.Locator("[data-detail]")).ToHaveTextAsync(new Regex(@"^r[12] · succeeded$"));
            (await development.Locator("a > rect").EvaluateAsync<string>("r => getComputedStyle(r).stroke")).ShouldBe("rgb(11, 122, 67)"); // --succeeded
            await Assertions.Expect(svg.Locator("g.environment[data-name=staging] [data-detail]")).ToHaveTextAsync("no release");
            await Assertions.Expect(svg.Locator("g.environment[data-name=staging]")).ToHaveClassAsync(new Regex(@"\benv-none\b"));
            await Assertions.Expect(svg.Locator("g.environment[data-name=pr]")).ToHaveClassAsync(new Regex(@"\benv-template\b"));
            await Assertions.Expect(svg.Locator("path.edge.for-each[data-from=pull-requests][data-to=pr-feature-a]")).ToHaveCountAsync(1);
            await Assertions.Expect(svg.Locator("path.edge.for-each[data-from=pull-requests][data-to=pr]")).ToHaveCountAsync(1);
            await Assertions.Expect(svg.Locator("path.edge.release[data-from=development][data-to=staging]")).ToHaveCountAsync(1);
            // Resources link to their page.
            await svg.Locator("g.resource[data-name=app] a").ClickAsync();
            await Assertions.Expect(_page).ToHaveURLAsync(new Regex("/pipelines/train/resources/app$"));
        });

    [Fact]
    public Task Graph_ShowsWhatANodeWaitsFor_WhenItHasKeyboardFocus() =>
        _page.OnFailureAsync(nameof(Graph_ShowsWhatANodeWaitsFor_WhenItHasKeyboardFocus), async () =>
        {
            await EventuallyAsync("g.environment[data-name=development].env-succeeded");
            // Releases of main and of the branch share one numbering: development's is r1 or r2, whichever formed first.
            var release = (await _page.Locator("svg[data-graph] g.environment[data-name=development] [data-detail]").TextContentAsync())!.Split(' ')[0];
            var staging = _page.Locator("svg[data-graph] g.environment[data-name=staging]");
            var tip = staging.Locator(".tip");
            await Assertions.Expect(tip).ToBeHiddenAsync();

            // Tab from the top of the page until staging's node has focus: every node is on the way, in the keyboard's order.
            var focused = new List<string>();
            for (var i = 0; i < 60 && !focused.Contains("staging"); i++)
            {
                await _page.Keyboard.PressAsync("Tab");
                var name = await _page.EvaluateAsync<string?>("document.activeElement?.closest('svg [data-name]')?.dataset.name ?? null");
                if (name is not null)
                    focused.Add(name);
            }

            focused.ShouldContain("staging");
            focused.ShouldContain("unit");
            var why = $"{release} waits: {release} is eligible for staging and waits for someone to promote it (promote: manual).";
            await Assertions.Expect(tip).ToBeVisibleAsync();
            (await tip.EvaluateAsync<string>("t => [...t.querySelectorAll('tspan')].map(s => s.textContent).join(' ')")).ShouldBe(why);
            var link = staging.Locator("a");
            await Assertions.Expect(link).ToHaveAccessibleDescriptionAsync(why);
            await Assertions.Expect(staging.Locator("[data-why]")).ToHaveTextAsync(why);
            // A job says what its explain says: unit built the newest commit already.
            await Assertions.Expect(_page.Locator("svg[data-graph] g.job[data-name=unit] [data-why]"))
                .ToHaveTextAsync("waiting: every trigger input's version has already been built by this job");
        });

    [Fact]
    public Task Graph_DrawsFiftyJobsWithoutOverlaps_EachFocusable() =>
        _page.OnFailureAsync(nameof(Graph_DrawsFiftyJobsWithoutOverlaps_EachFocusable), async () =>
        {
            await _page.GotoAsync("/pipelines/fifty");

            var svg = _page.Locator("svg[data-graph]");
            await Assertions.Expect(svg.Locator("g.job")).ToHaveCountAsync(50);
            var boxes = await svg.Locator("g.node a > rect").EvaluateAllAsync<Box[]>(
                "rects => rects.map(r => { const b = r.getBoundingClientRect(); return { name: r.closest('g').dataset.name, x: b.x, y: b.y, w: b.width, h: b.height }; })");
            boxes.Length.ShouldBe(51);
            for (var i = 0; i < boxes.Length; i++)
            {
                for (var j = i + 1; j < boxes.Length; j++)
                {
                    var (a, b) = (boxes[i], boxes[j]);
                    (a.X + a.W <= b.X || b.X + b.W <= a.X || a.Y + a.H <= b.Y || b.Y + b.H <= a.Y).ShouldBeTrue($"{a.Name} overlaps {b.Name}");
                }
            }
            // 10 stages and the resource: 11 columns of 240 px; 5 lanes: well under 600 px high.
            var size = await svg.EvaluateAsync<Box>("s => ({ name: '', x: 0, y: 0, w: s.width.baseVal.value, h: s.height.baseVal.value })");
            size.W.ShouldBeLessThanOrEqualTo(11 * 240 + 24);
            size.H.ShouldBeLessThan(600);
            // Every node is a link the keyboard reaches.
            (await svg.Locator("g.node > a").EvaluateAllAsync<int[]>("links => links.map(a => a.tabIndex)")).ShouldAllBe(t => t >= 0);
            await svg.Locator("g.job[data-name=stage-9-lane-4] > a").FocusAsync();
            (await _page.EvaluateAsync<string?>("document.activeElement?.closest('svg [data-name]')?.dataset.name ?? null")).ShouldBe("stage-9-lane-4");
        });

    /// <summary>A node's box on the screen, as the page measures it (Playwright fills it by its properties).</summary>
    public sealed class Box
    {
        public string Name { get; set; } = "";
        public double X { get; set; }
        public double Y { get; set; }
        public double W { get; set; }
        public double H { get; set; }
    }

    /// <summary>The page is rendered on the server: load it again until every selector shows (checks and promotions run in the background).</summary>
    private async Task EventuallyAsync(params string[] selectors)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            await _page.GotoAsync("/pipelines/train");
            var missing = new List<string>();
            foreach (var selector in selectors)
            {
                if (await _page.Locator($"svg[data-graph] {selector}").CountAsync() == 0)
                    missing.Add(selector);
            }
            if (missing.Count == 0)
                return;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"the graph never showed {string.Join(", ", missing)}\n--- server log\n{Server.Log}");
            await Task.Delay(500);
        }
    }

    /// <summary>
    /// 50 jobs in 10 stages of 5 lanes, each passing the same and the next lane of the stage before (a fan that crosses
    /// when drawn in config order, which lists every other stage's lanes backwards).
    /// </summary>
    internal static string FiftyJobs()
    {
        var yaml = new StringBuilder("""
            resources:
              - name: src
                type: git
                check_every: never
                source: { uri: "file:///nonexistent/src.git", branch: main }
            jobs:

            """);
        for (var s = 0; s < 10; s++)
        {
            foreach (var l in s % 2 == 0 ? Enumerable.Range(0, 5) : Enumerable.Range(0, 5).Reverse())
            {
                yaml.Append($"  - name: stage-{s}-lane-{l}\n    plan:\n      - get: src\n");
                if (s > 0)
                    yaml.Append($"        passed: [stage-{s - 1}-lane-{l}, stage-{s - 1}-lane-{(l + 1) % 5}]\n");
            }
        }
        return yaml.ToString();
    }

    /// <summary>One server for the class: the train (a git repository with a main commit and a pr/ branch) and the 50 jobs.</summary>
    public sealed class TrainServer : IAsyncLifetime
    {
        internal FerryServer Server { get; private set; } = null!;

        private GitRepository _repo = null!;

        public async Task InitializeAsync()
        {
            _repo = await GitRepository.CreateAsync();
            await _repo.CommitAsync("NOTES.md", "the first release\n", "a first change");
            await _repo.CommitOnBranchAsync("pr/feature-a", "NOTES.md", "a feature\n", "a feature");
            Server = await FerryServer.StartAsync();
            foreach (var (name, yaml, vars) in new[] { ("train", Train, new[] { "-v", $"repo={_repo.Uri}" }), ("fifty", FiftyJobs(), []) })
            {
                var file = Path.Combine(Server.DataDirectory, name + ".yml");
                await File.WriteAllTextAsync(file, yaml);
                var set = await Server.CliAsync(["set-pipeline", "-p", name, "-c", file, .. vars, "--yes"]);
                set.ExitCode.ShouldBe(0, set.ToString());
            }
        }

        public async Task DisposeAsync()
        {
            await Server.DisposeAsync();
            await _repo.DisposeAsync();
        }
    }
}
