using System.Text.Json.Nodes;
using Ferry.Core.Builds;
using Ferry.Engine.Checking;
using Ferry.Engine.Instances;
using Ferry.Engine.Loops;
using Ferry.Engine.Pipelines;
using Ferry.Engine.Promoting;
using Ferry.Engine.Pushing;
using Ferry.Engine.Resources;
using Ferry.Engine.Running;
using Ferry.Engine.Scheduling;
using Ferry.Engine.Tests.Resources;
using Ferry.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ferry.Engine.Tests.Promoting;

/// <summary>
/// Every loop of the engine (checker, scheduler, promoter, runner) against a real SQLite store and a real git
/// repository, driven pass by pass until nothing moves any more.
/// </summary>
internal sealed class PromotionHarness : IAsyncDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("ferry-promotion-").FullName;
    private CheckerLoop _checker = null!;
    private SchedulerLoop _scheduler = null!;
    private RunnerLoop _runner = null!;
    private PromoterLoop _promoter = null!;
    private Action _restartPromoter = null!;

    public GitRemote Remote { get; } = new();
    public IStore Store { get; private set; } = null!;
    public Promotions Promotions { get; private set; } = null!;
    public InstanceSnapshots Snapshots { get; private set; } = null!;
    public DriftLoop Drift { get; private set; } = null!;
    public Pushes Pushes { get; private set; } = null!;

    public static async Task<PromotionHarness> StartAsync(string yaml)
    {
        var harness = new PromotionHarness();
        await harness.InitializeAsync(yaml);
        return harness;
    }

    private async Task InitializeAsync(string yaml)
    {
        Store = await StoreFactory.OpenAsync(_data, null);
        var configs = new PipelineConfigs(Store);
        var directories = new EngineDirectories(_data);
        var waker = new LoopWaker();
        var types = ResourceTypeRegistry.WithBuiltIns();
        _checker = new CheckerLoop(Store, configs, types, waker, directories, TimeProvider.System, NullLogger<CheckerLoop>.Instance);
        _scheduler = new SchedulerLoop(Store, new JobScheduler(Store, configs), waker, NullLogger<SchedulerLoop>.Instance);
        _runner = new RunnerLoop(Store, new BuildRunner(), configs, types, directories, new PromotionBuilds(Store, configs), waker,
            new RunnerLoopOptions("test"), NullLogger<RunnerLoop>.Instance);
        _restartPromoter = () =>
        {
            var pullRequests = new PullRequestEnvironments(Store);
            var sync = new EnvironmentSync(Store, pullRequests);
            var previews = new PromotionPreviews(Store, types, directories);
            _promoter = new PromoterLoop(Store, configs, sync, new ReleaseFormer(Store), pullRequests, previews, waker, TimeProvider.System,
                NullLogger<PromoterLoop>.Instance);
            Promotions = new Promotions(Store, configs, sync, previews, waker, TimeProvider.System);
            var drifts = new InstanceDrifts(Store, directories);
            Snapshots = new InstanceSnapshots(Store, configs, sync, drifts, _checker, Promotions, directories, TimeProvider.System);
            Drift = new DriftLoop(Store, configs, sync, drifts, new DriftLoopOptions(TimeSpan.FromSeconds(1)), NullLogger<DriftLoop>.Instance);
            Pushes = new Pushes(Store, Promotions, _checker, waker, TimeProvider.System);
        };
        _restartPromoter();
        Remote.Commit("STATUS", "ok\n", "first");
        var vars = new JsonObject { ["repo"] = Remote.Uri };
        var config = PipelineConfigs.Load("train", yaml, vars);
        await Store.SetPipelineAsync(new PipelineConfigInput("train", yaml, vars, "test",
            config.Resources.Select(r => new ResourceDefinition(r.Name, r.Type, r.Source, [])).ToList(),
            config.Jobs.Select(j => new JobDefinition(j.Name, [])).ToList()));
    }

    /// <summary>A new promoter and promotion services, as after a server restart: nothing they kept in memory survives.</summary>
    public void RestartPromoter() => _restartPromoter();

    public async Task<int> PipelineIdAsync() => (await Store.GetPipelineAsync("train"))!.Id;

    public async Task CheckAllAsync()
    {
        foreach (var resource in await Store.ListResourcesAsync(await PipelineIdAsync()))
            await _checker.CheckAsync(resource, CancellationToken.None);
    }

    /// <summary>Checks every resource, then runs scheduler, promoter and runner until no build is left and nothing new starts.</summary>
    public async Task SettleAsync()
    {
        await CheckAllAsync();
        var deadline = DateTime.UtcNow.AddSeconds(90);
        var quiet = 0;
        while (quiet < 2)
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException("the engine did not settle within 90 s");
            await _scheduler.RunOnceAsync(CancellationToken.None);
            await _promoter.RunOnceAsync(CancellationToken.None);
            await _runner.RunOnceAsync(CancellationToken.None);
            var busy = false;
            while ((await Store.ListBuildsAsync(new BuildQuery(Limit: 200))).Any(b => !b.Status.IsFinal()) || _runner.Running.Count > 0)
            {
                busy = true;
                await _runner.RunOnceAsync(CancellationToken.None);
                await Task.Delay(30);
            }
            quiet = busy ? 0 : quiet + 1;
        }
    }

    public async Task<EnvironmentView> EnvironmentAsync(string name) => await Promotions.GetEnvironmentAsync("train", name, CancellationToken.None);

    public async Task<string> LogAsync(long buildId) => string.Concat((await Store.ReadEventsAsync(buildId)).Select(e => e.Text));

    public async ValueTask DisposeAsync()
    {
        _runner.Dispose();
        await Store.DisposeAsync();
        Remote.Dispose();
        Directory.Delete(_data, recursive: true);
    }
}
