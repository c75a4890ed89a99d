using System.Text.Json.Nodes;
using Ferry.EndToEnd.Tests.Harness;
using Ferry.EndToEnd.Tests.Ui;
using Ferry.Tests.LocalServers;
using Microsoft.Playwright;

namespace Ferry.EndToEnd.Tests.NodeRedExample;

/// <summary>
/// examples/node-red as its README walks through it, with real Node-RED instances started by its instances.sh and its
/// pipeline.yml: a flow edited in development reaches production with two pushes, staging keeps its own API_URL, a
/// hand edit in staging shows as drift and refuses a push until forced, a rollback puts production back, and the play
/// button on staging's stage card brings the edit to production again.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class NodeRedExampleTests(BrowserFixture browser) : IDisposable
{
    private const string Pipeline = "flows";
    private readonly string _work = Directory.CreateTempSubdirectory("ferry-e2e-node-red-example-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [NodeRedFact]
    public async Task Example_TakesADevelopmentEditToProductionInTwoPushes_KeepsStagingsValues_RefusesDriftUntilForced_AndRollsBack()
    {
        await using var instances = await NodeRedExampleInstances.StartAsync(Path.Combine(_work, "instances"));
        await using var server = await FerryServer.StartAsync();
        using var api = server.NewApi();
        var file = Path.Combine(_work, "pipeline.yml");
        await File.WriteAllTextAsync(file, instances.Pipeline());
        var set = await server.CliAsync("set-pipeline", "-p", Pipeline, "-c", file, "-s", $"production-password={NodeRedExampleInstances.ProductionPassword}", "--yes");
        set.ExitCode.ShouldBe(0, set.ToString());

        // Development's first snapshot is r1; two pushes bring it to staging and production.
        await WaitForAsync(api, server, "development", "r1");
        (await PushAsync(server, "staging")).Output.ShouldContain("flows/staging: r1 would be its first release");
        (await PushAsync(server, "production")).Output.ShouldContain("flows/production: r1 would be its first release");

        // An edit in development's editor, then two pushes: production runs it.
        await instances.EditAsync("development", flows => Function(flows)["func"] = V2(Function(flows)));
        var toStaging = await PushAsync(server, "staging");
        toStaging.Output.ShouldContain("taken now: the new release r2");
        toStaging.Output.ShouldContain("~ function build request (orders-request): func");
        (await PushAsync(server, "production")).Output.ShouldContain("flows/production: r2 would replace r1");
        await instances.InjectAsync("production", "orders-tick");
        await instances.WaitForLogAsync("production", "https://api.production.example/v2/orders");

        // Staging runs the same flows with its own API_URL.
        ApiUrl(await instances.FlowsAsync("staging")).ShouldBe("https://api.staging.example");
        await instances.InjectAsync("staging", "orders-tick");
        await instances.WaitForLogAsync("staging", "https://api.staging.example/v2/orders");

        // A hand edit in staging is drift: shown, a push refused, a forced push overwrites it.
        await instances.EditAsync("staging", flows => NodeRedExampleInstances.Node(flows, "orders-log")["name"] = "log staging request");
        var refused = await server.CliAsync("push", "-p", Pipeline, "--to", "staging", "--yes");
        refused.ExitCode.ShouldBe(1, refused.ToString());
        refused.Error.ShouldContain("its instance was changed by hand since Ferry deployed r2 there (tab Orders: debug 'log staging request' changed (name))");
        Row((await server.CliAsync("environments", "-p", Pipeline)).Output, "staging").ShouldContain("DRIFTED since");
        var diff = await server.CliAsync("snapshots", "diff", "-p", Pipeline, "-e", "staging", await DeployedSnapshotAsync(server, "r2"));
        diff.Output.ShouldContain("~ debug 'log staging request' orders-log: name", customMessage: diff.ToString());
        (await PushAsync(server, "staging", "--force")).Output.ShouldContain("~ debug log request (orders-log): name");
        NodeRedExampleInstances.Node(await instances.FlowsAsync("staging"), "orders-log")["name"]!.GetValue<string>().ShouldBe("log request");
        Row((await server.CliAsync("environments", "-p", Pipeline)).Output, "staging").ShouldNotContain("DRIFTED");

        // A rollback puts production back on r1, with its own API_URL, and holds it there.
        var rollback = await server.CliAsync("rollback", "-p", Pipeline, "-e", "production", "--to", "r1");
        rollback.ExitCode.ShouldBe(0, rollback.ToString());
        await WaitForAsync(api, server, "production", "r1");
        var production = await instances.FlowsAsync("production");
        ((string)Function(production)["func"]!).ShouldNotContain("/v2/orders");
        ApiUrl(production).ShouldBe("https://api.production.example");
        Row((await server.CliAsync("environments", "-p", Pipeline)).Output, "production").ShouldContain("held by admin: a rollback to r1");
        await instances.InjectAsync("production", "orders-tick");
        await instances.WaitForLogAsync("production", "https://api.production.example/orders");

        // The web page's way: the play button on staging's card pushes staging's latest snapshot (r2) into production.
        var page = await browser.Browser.NewSignedInPageAsync(server.Url, server.AdminToken);
        await page.GotoAsync($"/pipelines/{Pipeline}/environments");
        var play = page.Locator("[data-push-from=staging][data-push-to=production]");
        await play.Locator("[data-snapshot-choice]").SelectOptionAsync("latest");
        await play.Locator("[data-action=push]").ClickAsync();
        var preview = page.Locator("[data-push-preview=production]");
        await Assertions.Expect(preview).ToHaveAttributeAsync("data-release", "r2");
        await Assertions.Expect(preview.Locator("tr[data-flow-change=changed][data-tab=Orders][data-node=orders-request]")).ToContainTextAsync("changed: func");
        await page.Locator("[data-action=confirm-push]").ClickAsync();
        await WaitForAsync(api, server, "production", "r2");
        ((string)Function(await instances.FlowsAsync("production"))["func"]!).ShouldContain("/v2/orders");
    }

    private static JsonObject Function(JsonArray flows) => NodeRedExampleInstances.Node(flows, "orders-request");

    /// <summary>The README's edit: the function builds a /v2/orders URL.</summary>
    private static string V2(JsonObject function)
    {
        var func = (string)function["func"]!;
        func.ShouldContain("\"/orders\"");
        return func.Replace("\"/orders\"", "\"/v2/orders\"", StringComparison.Ordinal);
    }

    private static string ApiUrl(JsonArray flows) =>
        (string)NodeRedExampleInstances.Node(flows, "orders")["env"]!.AsArray().Single(e => (string?)e!["name"] == "API_URL")!["value"]!;

    /// <summary><c>ferry push -p flows --to STAGE --yes --watch</c>: exit 0 once the push succeeded.</summary>
    private static async Task<Shell.Result> PushAsync(FerryServer server, string stage, params string[] more)
    {
        var push = await server.CliAsync(TimeSpan.FromMinutes(3), ["push", "-p", Pipeline, "--to", stage, "--yes", "--watch", .. more]);
        push.ExitCode.ShouldBe(0, push.ToString());
        push.Output.ShouldContain($" to {stage}, succeeded");
        return push;
    }

    /// <summary>The snapshot Ferry deployed in staging with <paramref name="release"/>, by its first digits, from <c>ferry snapshots</c>.</summary>
    private static async Task<string> DeployedSnapshotAsync(FerryServer server, string release)
    {
        var snapshots = await server.CliAsync("snapshots", "-p", Pipeline, "-e", "staging");
        var row = snapshots.Output.Split('\n').First(l => l.Contains(" deployed ", StringComparison.Ordinal) && l.Contains($" {release} ", StringComparison.Ordinal));
        return row.Split(' ', StringSplitOptions.RemoveEmptyEntries)[2];
    }

    private static string Row(string table, string environment) =>
        table.Split('\n').Single(l => l.StartsWith(environment + " ", StringComparison.Ordinal));

    private static async Task WaitForAsync(FerryApi api, FerryServer server, string environment, string release) =>
        await FerryApi.EventuallyAsync(async () =>
            (await api.GetAsync($"pipelines/{Pipeline}/environments")).AsArray().Any(e =>
                (string?)e!["name"] == environment && (string?)e["current"]?["name"] == release && (string?)e["status"] == "succeeded"),
            $"{environment} to run {release}", server, TimeSpan.FromMinutes(2));
}
