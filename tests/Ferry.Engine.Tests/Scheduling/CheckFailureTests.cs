using System.Text.Json.Nodes;
using Ferry.Engine.Checking;
using Ferry.Engine.Loops;
using Ferry.Engine.Pipelines;
using Ferry.Engine.Resources;
using Ferry.Engine.Tests.Resources;
using Ferry.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ferry.Engine.Tests.Scheduling;

/// <summary>A resource whose check fails shows the error, backs off, and does not stop the other resources.</summary>
public sealed class CheckFailureTests : IAsyncLifetime
{
    private const string Yaml = """
        resources:
          - name: good
            type: git
            source: { uri: ((repo)), branch: main }
          - name: gone
            type: git
            source: { uri: file:///nonexistent/ferry-test.git, branch: main }
          - name: bad
            type: git
            source: { branch: main }
        jobs:
          - name: use
            plan:
              - in_parallel: [{ get: good }, { get: gone }, { get: bad }]
        """;

    private readonly GitRemote _remote = new();
    private readonly string _data = Directory.CreateTempSubdirectory("ferry-check-failure-").FullName;
    private IStore _store = null!;
    private CheckerLoop _checker = null!;

    public async Task InitializeAsync()
    {
        _store = await StoreFactory.OpenAsync(_data, null);
        var configs = new PipelineConfigs(_store);
        _checker = new CheckerLoop(_store, configs, ResourceTypeRegistry.WithBuiltIns(), new LoopWaker(), new EngineDirectories(_data),
            TimeProvider.System, NullLogger<CheckerLoop>.Instance);
        _remote.Commit("README", "hi\n", "first");
        var vars = new JsonObject { ["repo"] = _remote.Uri };
        var config = PipelineConfigs.Load("checks", Yaml, vars);
        await _store.SetPipelineAsync(new PipelineConfigInput("checks", Yaml, vars, "test",
            config.Resources.Select(r => new ResourceDefinition(r.Name, r.Type, r.Source, [])).ToList(),
            config.Jobs.Select(j => new JobDefinition(j.Name, [])).ToList()));
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        _remote.Dispose();
        Directory.Delete(_data, recursive: true);
    }

    [Fact]
    public async Task RunOnce_RecordsEachFailureOnItsResource_AndStillChecksTheOthers()
    {
        var before = DateTimeOffset.UtcNow;
        await _checker.RunOnceAsync(CancellationToken.None);
        var pipeline = (await _store.GetPipelineAsync("checks"))!;

        var good = (await _store.GetResourceAsync(pipeline.Id, "good"))!;
        good.LastCheckError.ShouldBeNull();
        (await _store.GetLatestVersionAsync(good.Id)).ShouldNotBeNull();

        var gone = (await _store.GetResourceAsync(pipeline.Id, "gone"))!;
        gone.LastCheckError.ShouldNotBeNull();
        gone.LastCheckError.ShouldContain("git");
        gone.NextCheckAt.ShouldNotBeNull();
        gone.NextCheckAt!.Value.ShouldBeGreaterThan(before + TimeSpan.FromSeconds(4), "a retryable failure backs off");

        var bad = (await _store.GetResourceAsync(pipeline.Id, "bad"))!;
        bad.LastCheckError.ShouldNotBeNull();
        bad.LastCheckError.ShouldContain("source.uri");
        bad.NextCheckAt!.Value.ShouldBeGreaterThan(before + TimeSpan.FromMinutes(5), "bad config waits for a change, a webhook or ferry check");
    }

    [Fact]
    public async Task CheckAsync_DoublesTheBackOff_WhileTheCheckKeepsFailing()
    {
        var pipeline = (await _store.GetPipelineAsync("checks"))!;
        var gone = (await _store.GetResourceAsync(pipeline.Id, "gone"))!;
        await _checker.CheckAsync(gone, CancellationToken.None);
        var first = (await _store.GetResourceAsync(pipeline.Id, "gone"))!;
        await _checker.CheckAsync(first, CancellationToken.None);
        var second = (await _store.GetResourceAsync(pipeline.Id, "gone"))!;
        var firstWait = first.NextCheckAt!.Value - first.LastCheckedAt!.Value;
        var secondWait = second.NextCheckAt!.Value - second.LastCheckedAt!.Value;
        secondWait.ShouldBe(firstWait * 2, TimeSpan.FromMilliseconds(50));
    }
}
