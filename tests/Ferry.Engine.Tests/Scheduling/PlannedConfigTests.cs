using System.Text.Json.Nodes;
using Ferry.Core.Builds;
using Ferry.Engine.Loops;
using Ferry.Engine.Pipelines;
using Ferry.Engine.Resources;
using Ferry.Engine.Running;
using Ferry.Engine.Scheduling;
using Ferry.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ferry.Engine.Tests.Scheduling;

/// <summary>
/// A build runs with the config version it was planned with: a config set between planning and running (another
/// resource type at the same name, another secret value) does not reach it. Real SQLite store, real scripts.
/// </summary>
public sealed class PlannedConfigTests : IAsyncLifetime
{
    private const string Yaml = """
        resource_types:
          - name: stamp
            type: exec
            source: { path: ((type_dir)) }
        resources:
          - name: out
            type: stamp
            source: {}
        jobs:
          - name: job
            plan:
              - put: out
                no_get: true
              - task: show
                config:
                  platform: linux
                  params: { TOKEN: ((token)) }
                  run: { path: sh, args: [-c, "echo token=$TOKEN"] }
        """;

    private readonly string _data = Directory.CreateTempSubdirectory("ferry-planned-config-").FullName;
    private IStore _store = null!;
    private RunnerLoop _runner = null!;
    private ManualTrigger _trigger = null!;

    public async Task InitializeAsync()
    {
        _store = await StoreFactory.OpenAsync(_data, null);
        var configs = new PipelineConfigs(_store);
        var waker = new LoopWaker();
        var scheduler = new JobScheduler(_store, configs);
        _runner = new RunnerLoop(_store, new BuildRunner(), configs, ResourceTypeRegistry.WithBuiltIns(), new EngineDirectories(_data),
            new Ferry.Engine.Promoting.PromotionBuilds(_store, configs), waker, new RunnerLoopOptions("test"), NullLogger<RunnerLoop>.Instance);
        _trigger = new ManualTrigger(_store, scheduler, waker);
    }

    public async Task DisposeAsync()
    {
        _runner.Dispose();
        await _store.DisposeAsync();
        Directory.Delete(_data, recursive: true);
    }

    /// <summary>A directory with the exec type's check, in and out; out says which type it is.</summary>
    private string TypeDirectory(string name)
    {
        var directory = Directory.CreateDirectory(Path.Combine(_data, "type-" + name)).FullName;
        foreach (var (script, body) in new[]
                 {
                     ("check", "echo '[]'"),
                     ("in", "echo '{\"version\":{}}'"),
                     ("out", $"echo 'out of type {name}' >&2; echo '{{\"version\":{{\"type\":\"{name}\"}}}}'"),
                 })
        {
            var path = Path.Combine(directory, script);
            File.WriteAllText(path, "#!/bin/sh\ncat >/dev/null\n" + body + "\n");
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
        }
        return directory;
    }

    private Task SetAsync(string typeDirectory, string token)
    {
        var vars = new JsonObject { ["type_dir"] = typeDirectory, ["token"] = token };
        var config = PipelineConfigs.Load("planned", Yaml, vars);
        return _store.SetPipelineAsync(new PipelineConfigInput("planned", Yaml, vars, "test",
            config.Resources.Select(r => new ResourceDefinition(r.Name, r.Type, r.Source, [])).ToList(),
            config.Jobs.Select(j => new JobDefinition(j.Name, [])).ToList()) { SecretVars = ["token"] });
    }

    [Fact]
    public async Task RunOnce_UsesTheTypesAndSecretsTheBuildWasPlannedWith_WhenTheConfigChangedBeforeItRan()
    {
        await SetAsync(TypeDirectory("A"), "first-secret-value");
        var pipeline = (await _store.GetPipelineAsync("planned"))!;
        var job = (await _store.GetJobAsync(pipeline.Id, "job"))!;
        var buildId = await _trigger.TriggerAsync(job.Id, "me", CancellationToken.None);
        await SetAsync(TypeDirectory("B"), "second-secret-value");

        await _runner.RunOnceAsync(CancellationToken.None);
        var build = await FinishedAsync(buildId);

        var log = string.Concat((await _store.ReadEventsAsync(buildId)).Select(e => e.Text));
        build.Status.ShouldBe(BuildStatus.Succeeded, log);
        log.ShouldContain("out of type A");
        log.ShouldNotContain("out of type B");
        log.ShouldContain("token=((redacted))");
        log.ShouldNotContain("first-secret-value");
        (await _store.GetBuildOutputsAsync(buildId)).Single().Version.Version["type"].ShouldBe("A");
        (await _store.GetBuildConfigNumberAsync(buildId)).ShouldBe(1);
    }

    private async Task<BuildRecord> FinishedAsync(long id)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            var build = await _store.GetBuildAsync(id);
            if (build!.Status.IsFinal())
                return build;
            await Task.Delay(50);
        }
        throw new TimeoutException($"build {id} did not finish");
    }
}
