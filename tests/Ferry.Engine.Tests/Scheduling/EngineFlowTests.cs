using System.Text.Json.Nodes;
using Ferry.Core.Builds;
using Ferry.Core.Pipelines;
using Ferry.Engine.Checking;
using Ferry.Engine.Loops;
using Ferry.Engine.Pipelines;
using Ferry.Engine.Resources;
using Ferry.Engine.Running;
using Ferry.Engine.Scheduling;
using Ferry.Engine.Tests.Resources;
using Ferry.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ferry.Engine.Tests.Scheduling;

/// <summary>
/// The loops against a real SQLite store and a real git repository, one pass at a time: check finds a commit, the
/// scheduler creates a build, the runner runs it, and `passed:` carries the commit to the next job only on success.
/// </summary>
public sealed class EngineFlowTests : IAsyncLifetime
{
    private const string Yaml = """
        resources:
          - name: app
            type: git
            source: { uri: ((repo)), branch: main }
        jobs:
          - name: unit
            plan:
              - get: app
                trigger: true
              - task: test
                config:
                  platform: linux
                  inputs: [{ name: app }]
                  run: { path: sh, args: [-c, "cat app/STATUS; grep -q ok app/STATUS"] }
          - name: integration
            serial: true
            plan:
              - get: app
                trigger: true
                passed: [unit]
              - task: test
                file: app/ci/integration.yml
                vars: { greeting: hello }
        """;

    private readonly GitRemote _remote = new();
    private readonly string _data = Directory.CreateTempSubdirectory("ferry-engine-flow-").FullName;
    private IStore _store = null!;
    private CheckerLoop _checker = null!;
    private SchedulerLoop _scheduler = null!;
    private RunnerLoop _runner = null!;
    private JobExplainer _explainer = null!;
    private ManualTrigger _trigger = null!;

    public async Task InitializeAsync()
    {
        _store = await StoreFactory.OpenAsync(_data, null);
        var configs = new PipelineConfigs(_store);
        var directories = new EngineDirectories(_data);
        var waker = new LoopWaker();
        var types = ResourceTypeRegistry.WithBuiltIns();
        var scheduler = new JobScheduler(_store, configs);
        _checker = new CheckerLoop(_store, configs, types, waker, directories, TimeProvider.System, NullLogger<CheckerLoop>.Instance);
        _scheduler = new SchedulerLoop(_store, scheduler, waker, NullLogger<SchedulerLoop>.Instance);
        _runner = new RunnerLoop(_store, new BuildRunner(), configs, types, directories, new Ferry.Engine.Promoting.PromotionBuilds(_store, configs), waker, new RunnerLoopOptions("test"), NullLogger<RunnerLoop>.Instance);
        _explainer = new JobExplainer(_store, scheduler);
        _trigger = new ManualTrigger(_store, scheduler, waker);
        _remote.Commit("ci/integration.yml", """
            platform: linux
            inputs: [{ name: app }]
            run: { path: sh, args: [-c, "echo ((greeting)) from integration"] }
            """, "task file");
        var vars = new JsonObject { ["repo"] = _remote.Uri };
        var config = PipelineConfigs.Load("flow", Yaml, vars);
        await _store.SetPipelineAsync(new PipelineConfigInput("flow", Yaml, vars, "test",
            config.Resources.Select(r => new ResourceDefinition(r.Name, r.Type, r.Source, [])).ToList(),
            config.Jobs.Select(j => new JobDefinition(j.Name, [])).ToList()));
    }

    public async Task DisposeAsync()
    {
        _runner.Dispose();
        await _store.DisposeAsync();
        _remote.Dispose();
        Directory.Delete(_data, recursive: true);
    }

    [Fact]
    public async Task Passes_CarryACommitDownstream_OnlyWhenTheUpstreamJobSucceeded()
    {
        var good = _remote.Commit("STATUS", "ok\n", "good");
        await CheckAsync();
        var unit = await RunNextAsync("unit");
        unit.Status.ShouldBe(BuildStatus.Succeeded, await LogAsync(unit.Id));
        var integration = await RunNextAsync("integration");
        integration.Status.ShouldBe(BuildStatus.Succeeded, await LogAsync(integration.Id));
        (await LogAsync(integration.Id)).ShouldContain("hello from integration");
        (await InputRefAsync(integration.Id)).ShouldBe(good);

        var bad = _remote.Commit("STATUS", "nope\n", "bad");
        await CheckAsync();
        (await RunNextAsync("unit")).Status.ShouldBe(BuildStatus.Failed);
        await _scheduler.RunOnceAsync(CancellationToken.None);
        (await PendingAsync()).ShouldBeEmpty("a commit that failed unit must not reach integration");

        var explanation = await _explainer.ExplainAsync("flow", "integration", CancellationToken.None);
        explanation.ShouldNotBeNull();
        explanation.WouldTrigger.ShouldBeFalse();
        explanation.Inputs.Single().Version!["ref"].ShouldBe(good);
        bad.ShouldNotBe(good);
    }

    [Fact]
    public async Task ExplainAll_SaysOfEveryJobWhatExplainSaysOfIt_AndNothingOfAMissingPipeline()
    {
        _remote.Commit("STATUS", "ok\n", "good");
        await CheckAsync();
        await _scheduler.RunOnceAsync(CancellationToken.None);

        var all = await _explainer.ExplainAllAsync("flow", CancellationToken.None);

        var jobs = await _store.ListJobsAsync((await _store.GetPipelineAsync("flow"))!.Id);
        all.Select(e => e.Job).ShouldBe(jobs.Select(j => j.Name));
        foreach (var explained in all)
        {
            var one = (await _explainer.ExplainAsync("flow", explained.Job, CancellationToken.None))!;
            (explained.Verdict, explained.WouldTrigger).ShouldBe((one.Verdict, one.WouldTrigger));
            explained.Inputs.Select(i => (i.Name, i.VersionId, i.Error)).ShouldBe(one.Inputs.Select(i => (i.Name, i.VersionId, i.Error)));
        }
        all.Select(e => e.Verdict).Distinct().Count().ShouldBeGreaterThan(1, "unit has a new version to build, integration waits for unit");
        (await _explainer.ExplainAllAsync("ghost", CancellationToken.None)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Trigger_CreatesABuild_OrSaysWhichInputHasNoVersion()
    {
        var unitJob = await _store.GetJobAsync((await _store.GetPipelineAsync("flow"))!.Id, "integration");
        var refused = await Should.ThrowAsync<Triggering.JobTriggerException>(() => _trigger.TriggerAsync(unitJob!.Id, "me", CancellationToken.None));
        refused.Message.ShouldContain("input 'app'");

        _remote.Commit("STATUS", "ok\n", "good");
        await CheckAsync();
        var unit = await _store.GetJobAsync((await _store.GetPipelineAsync("flow"))!.Id, "unit");
        var id = await _trigger.TriggerAsync(unit!.Id, "me", CancellationToken.None);
        (await _store.GetBuildAsync(id))!.CreatedBy.ShouldBe("me");
    }

    private async Task CheckAsync()
    {
        var pipeline = await _store.GetPipelineAsync("flow");
        var resource = await _store.GetResourceAsync(pipeline!.Id, "app");
        await _checker.CheckAsync(resource!, CancellationToken.None);
        (await _store.GetResourceAsync(pipeline.Id, "app"))!.LastCheckError.ShouldBeNull();
    }

    private async Task<BuildRecord> RunNextAsync(string job)
    {
        await _scheduler.RunOnceAsync(CancellationToken.None);
        var pending = await PendingAsync();
        pending.ShouldContain(b => b.JobName == job, $"a pending build of {job}");
        var build = pending.Single(b => b.JobName == job);
        await _runner.RunOnceAsync(CancellationToken.None);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            var now = await _store.GetBuildAsync(build.Id);
            if (now!.Status.IsFinal())
                return now;
            await Task.Delay(50);
        }
        throw new TimeoutException($"build {build.Id} of {job} did not finish");
    }

    private async Task<List<BuildRecord>> PendingAsync() =>
        (await _store.ListBuildsAsync(new BuildQuery())).Where(b => b.Status == BuildStatus.Pending).ToList();

    private async Task<string> LogAsync(long buildId) =>
        string.Concat((await _store.ReadEventsAsync(buildId)).Select(e => e.Text));

    private async Task<string?> InputRefAsync(long buildId) =>
        (await _store.GetBuildInputsAsync(buildId)).Single().Version.Version["ref"];
}
