using System.Text.Json.Nodes;
using Ferry.EndToEnd.Tests.Harness;
using Ferry.Tests.LocalServers;
using Microsoft.Playwright;

namespace Ferry.EndToEnd.Tests.Ui;

/// <summary>
/// Drift and snapshots on the environments page in a real browser, against a whole server in this process and two real
/// Node-RED instances: staging edited by hand shows as drifted with its flow diff, the promote button asks for a ticked
/// confirmation before it overwrites the edit, and the snapshots panel diffs two snapshots and rolls staging back.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class DriftViewTests(BrowserFixture browser) : IAsyncLifetime
{
    private readonly List<NodeRedInstance> _instances = [];
    private InProcessFerry _ferry = null!;
    private FerryApi _api = null!;
    private NodeRedInstance _dev = null!;
    private NodeRedInstance _staging = null!;

    public async Task InitializeAsync()
    {
        if (NodeRedInstance.SkipReason is not null)
            return;
        _instances.Add(_dev = await NodeRedInstance.StartAsync());
        _instances.Add(_staging = await NodeRedInstance.StartAsync());
        await _dev.DeployAsync(Flows("out"));
        _ferry = await InProcessFerry.StartAsync("drift");
        _api = new FerryApi(_ferry.Url, _ferry.AdminToken);
        using var set = await _api.SendAsync(HttpMethod.Put, "pipelines/flows/config", new
        {
            config = $$"""
                resources:
                  - name: dev-flows
                    type: node-red
                    check_every: 1s
                    source: { url: "{{_dev.Url}}" }
                environments:
                  - name: development
                    instance: dev-flows
                  - name: staging
                    from: [development]
                    instance: { type: node-red, source: { url: "{{_staging.Url}}" } }
                    promote: manual
                """,
        });
        set.IsSuccessStatusCode.ShouldBeTrue(await set.Content.ReadAsStringAsync());
    }

    public async Task DisposeAsync()
    {
        if (_ferry is not null)
        {
            _api.Dispose();
            await _ferry.DisposeAsync();
        }
        foreach (var instance in _instances)
            await instance.DisposeAsync();
    }

    private static JsonArray Flows(string debugName) => JsonNode.Parse($$"""
        [
          {"id": "t1", "type": "tab", "label": "Orders"},
          {"id": "n1", "type": "inject", "z": "t1", "name": "tick", "props": [], "repeat": "", "once": false, "wires": [["n2"]]},
          {"id": "n2", "type": "debug", "z": "t1", "name": "{{debugName}}", "active": true, "wires": []}
        ]
        """)!.AsArray();

    private async Task<string> StagingDebugNameAsync() =>
        (string)(await _staging.GetFlowsAsync()).Flows.OfType<JsonObject>().Single(n => (string?)n["id"] == "n2")["name"]!;

    [NodeRedFact]
    public async Task EnvironmentsView_ShowsDriftWithItsDiff_ForcesOnlyWhenConfirmed_AndRollsBackFromTheSnapshots()
    {
        var page = await browser.Browser.NewSignedInPageAsync(_ferry.Url, _ferry.AdminToken);
        const string environments = "/pipelines/flows/environments";

        await EventuallyAsync(page, environments, "tr[data-environment=development][data-current=r1]");
        await page.Locator("tr[data-environment=staging] [data-action=promote]").ClickAsync();
        await page.Locator("[data-action=confirm-promote]").ClickAsync();
        await EventuallyAsync(page, environments, "tr[data-environment=staging][data-current=r1][data-status=succeeded]");

        // Staging is edited by hand in its editor; development moves on to r2.
        await _staging.DeployAsync(Flows("hand-edited"));
        await _dev.DeployAsync(Flows("v2"));
        await EventuallyAsync(page, environments, "tr[data-environment=development][data-current=r2]");

        // The preview reads staging now: refused as drifted, with the diff, and a force button that needs the box ticked.
        await page.Locator("tr[data-environment=staging] [data-action=promote]").ClickAsync();
        var preview = page.Locator("[data-preview=staging]");
        await Assertions.Expect(preview.Locator("[data-refusal]")).ToHaveAttributeAsync("data-refusal", "instance_drifted");
        await Assertions.Expect(preview.Locator("[data-drift-diff] tr[data-flow-change=changed][data-node=n2]")).ToContainTextAsync("name");
        await Assertions.Expect(page.Locator("[data-action=confirm-promote]")).ToHaveCountAsync(0);
        await page.Locator("[data-action=force-promote]").ClickAsync();
        // The browser keeps the form until the confirmation is ticked: nothing was posted, staging keeps the edit.
        await Assertions.Expect(page.Locator("[data-preview=staging] [data-action=force-promote]")).ToBeVisibleAsync();
        (await StagingDebugNameAsync()).ShouldBe("hand-edited");

        // The environments row says it drifted (the preview recorded it) and links to the snapshots with the diff.
        await page.GotoAsync(environments);
        await Assertions.Expect(page.Locator("tr[data-environment=staging] [data-drift]")).ToContainTextAsync("debug 'hand-edited' changed (name)");
        await page.Locator("tr[data-environment=staging] [data-action=snapshots]").ClickAsync();
        var snapshots = page.Locator("[data-snapshots=staging]");
        await Assertions.Expect(snapshots.Locator("[data-drift-diff] tr[data-node=n2]")).ToHaveCountAsync(1);
        await Assertions.Expect(snapshots.Locator("tr[data-kind=deployed]")).ToContainTextAsync("manual promotion by admin");

        // Force it: tick the box, promote; the hand edit is overwritten and the audit says so.
        await page.GotoAsync(environments + "?preview=staging&release=r2");
        await page.Locator("[data-force-confirm] input").CheckAsync();
        await page.Locator("[data-action=force-promote]").ClickAsync();
        await EventuallyAsync(page, environments, "tr[data-environment=staging][data-current=r2][data-status=succeeded]");
        (await StagingDebugNameAsync()).ShouldBe("v2");
        await Assertions.Expect(page.Locator("tr[data-environment=staging] [data-drift]")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("[data-audit] tr[data-action=drift_overwritten]")).ToHaveCountAsync(1);

        // The snapshots: diff r1's deployed snapshot with r2's, then roll staging back to r1's.
        await page.GotoAsync(environments + "?snapshots=staging");
        var deployed = page.Locator("[data-snapshots=staging] tr[data-kind=deployed]");
        await Assertions.Expect(deployed).ToHaveCountAsync(2);
        var r1 = (await deployed.Nth(1).GetAttributeAsync("data-snapshot"))!;
        var r2 = (await deployed.Nth(0).GetAttributeAsync("data-snapshot"))!;
        await page.Locator($"tr[data-snapshot='{r1}'] input[name=from]").CheckAsync();
        await page.Locator($"tr[data-snapshot='{r2}'] input[name=to]").CheckAsync();
        await page.Locator("[data-action=diff-snapshots]").ClickAsync();
        var diff = page.Locator("[data-snapshot-diff]");
        await Assertions.Expect(diff).ToHaveAttributeAsync("data-from", r1);
        await Assertions.Expect(diff.Locator("[data-flow-diff]")).ToHaveAttributeAsync("data-summary", "0 added, 0 removed, 1 changed");
        await page.Locator($"tr[data-snapshot='{r1}'] [data-action=rollback-snapshot]").ClickAsync();
        await EventuallyAsync(page, environments, "tr[data-environment=staging][data-current=r1][data-status=succeeded]");
        await Assertions.Expect(page.Locator("tr[data-environment=staging] [data-hold]")).ToHaveCountAsync(1);
        (await StagingDebugNameAsync()).ShouldBe("out");
    }

    private async Task EventuallyAsync(IPage page, string path, string selector)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            await page.GotoAsync(path);
            if (await page.Locator(selector).CountAsync() > 0)
                return;
            await Task.Delay(300);
        }
        throw new TimeoutException($"{path} never showed {selector}: {await page.Locator("table[data-environments]").InnerTextAsync()}");
    }
}
