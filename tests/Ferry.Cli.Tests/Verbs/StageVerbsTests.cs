using Ferry.Tests.LocalServers;

namespace Ferry.Cli.Tests.Verbs;

/// <summary>
/// <c>ferry stages</c> against a whole server and a real Node-RED: the diff is shown and asked about before anything is
/// written; a token read from standard input becomes a secret var, never YAML; move and remove relink the chain.
/// </summary>
[Collection(CliServerCollection.Name)]
public sealed class StageVerbsTests : IAsyncLifetime
{
    private readonly CliServer _server = new();
    private NodeRedInstance? _nodeRed;

    public async Task InitializeAsync()
    {
        if (NodeRedInstance.SkipReason is not null)
            return;
        await _server.InitializeAsync();
        _nodeRed = await NodeRedInstance.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_nodeRed is not null)
            await _nodeRed.DisposeAsync();
        await _server.DisposeAsync();
    }

    private async Task<int> ConfigVersionAsync() => (await _server.Store.GetPipelineAsync("chain"))!.CurrentConfigNumber ?? 0;

    [NodeRedFact]
    public async Task Stages_AskBeforeWriting_AndKeepATokenFromStdinOutOfTheYaml()
    {
        var file = await _server.WriteFileAsync("chain.yml", $$"""
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
            """);
        (await _server.RunAsync(["set-pipeline", "-p", "chain", "-c", file, "--yes"])).Exit.ShouldBe(0);
        string[] add = ["stages", "add", "-p", "chain", "staging", "--instance", _nodeRed.Url, "--before", "production", "--token-stdin"];

        var declined = await _server.RunAsync(add, input: "tok-3x4mple\nn\n");
        var versionAfterDeclining = await ConfigVersionAsync();
        var applied = await _server.RunAsync(add, input: "tok-3x4mple\ny\n");
        var moved = await _server.RunAsync(["stages", "move", "-p", "chain", "staging", "--after", "production", "--yes"]);
        var removed = await _server.RunAsync(["stages", "remove", "-p", "chain", "production", "--yes"]);

        declined.Exit.ShouldBe(1, declined.Err);
        declined.Out.ShouldContain("+     from: [staging]");
        declined.Err.ShouldContain("configuration not applied");
        versionAfterDeclining.ShouldBe(1);
        applied.Exit.ShouldBe(0, applied.Err);
        applied.Out.ShouldContain("+         token: ((staging-token))");
        applied.Out.ShouldNotContain("tok-3x4mple");
        applied.Out.ShouldContain("pipeline 'chain' set to config version 2: added stage staging before production");
        var stored = await _server.Store.GetPipelineConfigAsync((await _server.Store.GetPipelineAsync("chain"))!.Id);
        stored!.Yaml.ShouldNotContain("tok-3x4mple");
        stored.SecretVars.ShouldBe(["staging-token"]);
        moved.Exit.ShouldBe(0, moved.Err);
        moved.Out.ShouldContain("config version 3: moved stage staging after production");
        removed.Exit.ShouldBe(0, removed.Err);
        removed.Out.ShouldContain("config version 4: removed stage production; staging now comes from development");
        var listed = await _server.RunAsync(["stages", "list", "-p", "chain", "--json"]);
        listed.Out.ShouldContain("\"name\":\"staging\"");
        listed.Out.ShouldNotContain("\"name\":\"production\"");
    }
}
