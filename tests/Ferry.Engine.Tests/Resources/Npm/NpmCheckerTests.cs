using System.Text.Json.Nodes;
using Ferry.Engine.Checking;
using Ferry.Engine.Loops;
using Ferry.Engine.Pipelines;
using Ferry.Engine.Resources;
using Ferry.Storage;
using Ferry.Tests.LocalServers;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ferry.Engine.Tests.Resources.Npm;

/// <summary>npm resources in a pipeline: versions recorded, and each bad source's error on its own resource.</summary>
public sealed class NpmCheckerTests(NpmFixture npm) : IClassFixture<NpmFixture>, IAsyncLifetime
{
    private readonly string _data = Directory.CreateTempSubdirectory("ferry-npm-checker-").FullName;
    private IStore _store = null!;

    public async Task InitializeAsync() => _store = await StoreFactory.OpenAsync(_data, null);

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        Directory.Delete(_data, recursive: true);
    }

    [VerdaccioFact]
    public async Task RunOnce_RecordsVersionsAndEachErrorOnItsResource()
    {
        var name = npm.NewName("checked");
        var secret = npm.NewName("checked", scope: "private");
        await npm.PublishAsync(name, "1.0.0");
        await npm.PublishAsync(name, "1.1.0-abcdef0-202401010000.0", tag: "nightly");
        await npm.PublishAsync(secret, "1.0.0");
        var down = $"http://127.0.0.1:{LocalServerProcess.FreePort()}/";
        var yaml = $$"""
            resources:
              - { name: nightly, type: npm, source: { package: "{{name}}", registry: "{{npm.Registry.Url}}", tag: nightly } }
              - { name: untagged, type: npm, source: { package: "{{name}}", registry: "{{npm.Registry.Url}}", tag: beta } }
              - { name: down, type: npm, source: { package: "{{name}}", registry: "{{down}}" } }
              - { name: denied, type: npm, source: { package: "{{secret}}", registry: "{{npm.Registry.Url}}" } }
              - { name: nameless, type: npm, source: { registry: "{{npm.Registry.Url}}" } }
            jobs:
              - name: use
                plan: [{ get: nightly }, { get: untagged }, { get: down }, { get: denied }, { get: nameless }]
            """;
        var config = PipelineConfigs.Load("npm", yaml, []);
        await _store.SetPipelineAsync(new PipelineConfigInput("npm", yaml, [], "test",
            config.Resources.Select(r => new ResourceDefinition(r.Name, r.Type, r.Source, [])).ToList(),
            config.Jobs.Select(j => new JobDefinition(j.Name, [])).ToList()));
        var checker = new CheckerLoop(_store, new PipelineConfigs(_store), ResourceTypeRegistry.WithBuiltIns(), new LoopWaker(), new EngineDirectories(_data),
            TimeProvider.System, NullLogger<CheckerLoop>.Instance);

        await checker.RunOnceAsync(CancellationToken.None);

        var pipeline = (await _store.GetPipelineAsync("npm"))!;
        async Task<ResourceRecord> Resource(string resource) => (await _store.GetResourceAsync(pipeline.Id, resource))!;
        (await Resource("nightly")).LastCheckError.ShouldBeNull();
        (await _store.GetLatestVersionAsync((await Resource("nightly")).Id))!.Version.Version["version"].ShouldBe("1.1.0-abcdef0-202401010000.0");
        (await Resource("untagged")).LastCheckError.ShouldBe($"checking {name} on {npm.Registry.Url}: {name} has no dist-tag 'beta' (dist-tags: latest, nightly)");
        (await Resource("down")).LastCheckError!.ShouldStartWith($"reading {name} on {down}: cannot reach the registry");
        (await Resource("denied")).LastCheckError!.ShouldStartWith($"reading {secret} on {npm.Registry.Url}: the registry answered 401 Unauthorized");
        (await Resource("nameless")).LastCheckError.ShouldBe("resources.nameless.source.package: required");
    }
}
