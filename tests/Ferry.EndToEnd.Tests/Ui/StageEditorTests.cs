using System.Text.RegularExpressions;
using Ferry.EndToEnd.Tests.Harness;
using Ferry.Tests.LocalServers;
using Microsoft.Playwright;

namespace Ferry.EndToEnd.Tests.Ui;

/// <summary>
/// Stages anywhere against a real <c>ferry server</c> and a real Node-RED: the CLI adds a stage by the instance's URL in
/// one command (and refuses one nothing answers at), and the environments page inserts a stage between two, showing
/// the config diff before it is applied.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class StageEditorTests(BrowserFixture browser) : IAsyncLifetime
{
    private FerryServer _server = null!;
    private NodeRedInstance? _nodeRed;

    private string TwoStages => $$"""
        resources:
          - name: dev-flows
            type: node-red
            check_every: never
            source: { url: "{{_nodeRed!.Url}}" }
        environments:
          - name: development
            instance: dev-flows
          - name: production
            from: [development]
            instance: { type: node-red, source: { url: "{{_nodeRed.Url}}" } }
            promote: manual

        """;

    public async Task InitializeAsync()
    {
        _server = await FerryServer.StartAsync();
        if (NodeRedInstance.SkipReason is null)
            _nodeRed = await NodeRedInstance.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_nodeRed is not null)
            await _nodeRed.DisposeAsync();
        await _server.DisposeAsync();
    }

    private async Task SetPipelineAsync(string name)
    {
        var file = Path.Combine(_server.DataDirectory, name + ".yml");
        await File.WriteAllTextAsync(file, TwoStages);
        var set = await _server.CliAsync("set-pipeline", "-p", name, "-c", file, "--yes");
        set.ExitCode.ShouldBe(0, set.ToString());
    }

    [NodeRedFact]
    public async Task StagesAdd_InsertsAStageByItsInstanceUrl_AndRefusesOneNothingAnswersAt()
    {
        await SetPipelineAsync("cli");
        var nothingListens = $"http://127.0.0.1:{LocalServerProcess.FreePort()}";

        var refused = await _server.CliAsync("stages", "add", "-p", "cli", "qa", "--instance", nothingListens, "--yes");
        var added = await _server.CliAsync("stages", "add", "-p", "cli", "staging", "--instance", _nodeRed!.Url, "--after", "development", "--yes");
        var listed = await _server.CliAsync("stages", "list", "-p", "cli");

        refused.ExitCode.ShouldBe(2, refused.ToString());
        refused.Error.ShouldContain($"url: {nothingListens} is not a Node-RED Admin API Ferry can use");
        added.ExitCode.ShouldBe(0, added.ToString());
        added.Output.ShouldContain("+   - name: staging");
        added.Output.ShouldContain("pipeline 'cli' set to config version 2: added stage staging after development");
        listed.ExitCode.ShouldBe(0, listed.ToString());
        var rows = listed.Output.Split('\n').Where(l => l.Length > 0).Skip(1).Select(l => Regex.Split(l.Trim(), @"\s{2,}")).ToList();
        rows.Select(r => r[0]).ShouldBe(["development", "staging", "production"]);
        rows[2][1].ShouldBe("staging");
    }

    [NodeRedFact]
    public async Task EnvironmentsPage_InsertsAStageBetweenTwo_AfterShowingItsDiff()
    {
        await SetPipelineAsync("ui");
        var page = await browser.Browser.NewSignedInPageAsync(_server.Url, _server.AdminToken);
        try
        {
            await page.GotoAsync("/pipelines/ui/environments");
            var add = page.Locator("[data-add-stage]");
            await add.Locator("input[name=name]").FillAsync("staging");
            await add.Locator("input[name=url]").FillAsync(_nodeRed!.Url);
            await add.Locator("select[name=position]").SelectOptionAsync("before:production");
            await add.Locator("[data-action=preview-add]").ClickAsync();

            var preview = page.Locator("[data-stage-preview]");
            await Assertions.Expect(preview.Locator("h3")).ToHaveTextAsync("added stage staging before production");
            await Assertions.Expect(preview.Locator("[data-diff]")).ToContainTextAsync("+   - name: staging");
            (await _server.NewApi().GetAsync("pipelines/ui/configs")).AsArray().Count.ShouldBe(1);
            await preview.Locator("[data-action=confirm-stage-edit]").ClickAsync();

            await Assertions.Expect(page.Locator("[data-stage-applied]")).ToHaveAttributeAsync("data-stage-applied", "2");
            await Assertions.Expect(page.Locator("[data-stage-list] tr[data-stage-row]")).ToHaveCountAsync(3);
            (await page.Locator("[data-stage-list] tr[data-stage-row]").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.stageRow)"))
                .ShouldBe(["development", "staging", "production"]);
            await Assertions.Expect(page.Locator("tr[data-stage-row=production] td").Nth(1)).ToHaveTextAsync("staging");
            var version = await _server.NewApi().GetAsync("pipelines/ui/configs/2");
            version["createdBy"]!.GetValue<string>().ShouldBe("admin");
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }
}
