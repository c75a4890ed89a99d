using System.Text.Json.Nodes;
using Ferry.Tests.LocalServers;

namespace Ferry.Cli.Tests.Verbs;

/// <summary>
/// <c>promote --dry-run</c> into an environment bound to a Node-RED instance that lacks a node module the release's
/// flows use: the preview names it. A whole server (loops on) with two real instances; in the CLI server collection
/// so no other test's FERRY_TOKEN reaches it.
/// </summary>
[Collection(CliServerCollection.Name)]
public sealed class NodeRedPreviewTests : IAsyncLifetime
{
    private readonly CliServer _server = new(runLoops: true);
    private readonly List<NodeRedInstance> _instances = [];

    public async Task InitializeAsync()
    {
        if (NodeRedInstance.SkipReason is not null)
            return;
        await _server.InitializeAsync();
        _instances.Add(await NodeRedInstance.StartAsync(new NodeRedOptions(UserDir: NodeRedShoutModule.Install)));
        _instances.Add(await NodeRedInstance.StartAsync());
    }

    public async Task DisposeAsync()
    {
        foreach (var instance in _instances)
            await instance.DisposeAsync();
        await _server.DisposeAsync();
    }

    [NodeRedFact]
    public async Task PromoteDryRun_NamesNodeModulesTheInstanceLacks_WhenFlowsUseThem()
    {
        var (dev, staging) = (_instances[0], _instances[1]);
        await dev.DeployAsync(NodeRedShoutModule.Flows("Shouting"));
        var file = await _server.WriteFileAsync("node-red.yml", $$"""
            resources:
              - name: dev-flows
                type: node-red
                check_every: 1s
                source: { url: "{{dev.Url}}" }
            environments:
              - name: development
                instance: dev-flows
              - name: staging
                from: [development]
                instance: { type: node-red, source: { url: "{{staging.Url}}" } }
                promote: manual
            """);
        (await _server.RunAsync(["set-pipeline", "-p", "nr", "-c", file, "--yes"])).Exit.ShouldBe(0);
        await VerifiedInDevelopmentAsync("r1");

        var preview = await _server.RunAsync(["promote", "-p", "nr", "-e", "staging", "--dry-run"]);

        preview.Exit.ShouldBe(0, preview.Err);
        preview.Out.ShouldContain($"  node modules the instance lacks: {NodeRedShoutModule.Module}@{NodeRedShoutModule.Version} (ferry-shout)");
    }

    private async Task VerifiedInDevelopmentAsync(string release)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            var releases = await _server.RunAsync(["releases", "-p", "nr", "--json"]);
            releases.Exit.ShouldBe(0, releases.Err);
            var verified = JsonNode.Parse(releases.Out)?.AsArray()
                .Any(r => r!["name"]!.GetValue<string>() == release && r["verifiedIn"]!.AsArray().Any(e => e!.GetValue<string>() == "development"));
            if (verified == true)
                return;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"{release} was not verified in development within 90 s: {releases.Out}{releases.Err}");
            await Task.Delay(250);
        }
    }
}
