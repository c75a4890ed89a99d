using Ferry.Engine.Checking;
using Ferry.Engine.Containers;
using Ferry.Engine.Instances;
using Ferry.Engine.Loops;
using Ferry.Engine.Nodes;
using Ferry.Engine.Pipelines;
using Ferry.Engine.Processes;
using Ferry.Engine.Promoting;
using Ferry.Engine.Reaping;
using Ferry.Engine.Resources;
using Ferry.Engine.Running;
using Ferry.Engine.Scheduling;
using Ferry.Engine.Triggering;
using Microsoft.Extensions.DependencyInjection;

namespace Ferry.Server.Hosting;

/// <summary>
/// The composition root of the engine: every background loop (checker, scheduler, promoter, runner, reaper; the
/// <see cref="LoopHost"/> runs each on its interval) and the engine seams the API calls (trigger, explain, promotions).
/// </summary>
internal static class EngineServices
{
    public static void Add(IServiceCollection services, ServerOptions options)
    {
        services.AddSingleton(options);
        services.AddSingleton(sp => new LoopWaker(sp.GetRequiredService<Ferry.Storage.IStore>().Wakes));
        services.AddSingleton<LoopPasses>();
        services.AddSingleton(sp => new EngineDirectories(sp.GetRequiredService<ServerNode>().DataDirectory));
        services.AddSingleton<PipelineConfigs>();
        services.AddSingleton(sp => new ProcessRunner(sp.GetRequiredService<EngineDirectories>().Processes));
        services.AddSingleton(sp => RuntimeChoice.Create(options.Runtime, sp.GetRequiredService<RuntimeProbe>().Probe, sp.GetRequiredService<ProcessRunner>(),
            sp.GetRequiredService<EngineDirectories>().Root, sp.GetRequiredService<EngineDirectories>().Containers));
        services.AddSingleton(sp => ResourceTypeRegistry.WithBuiltIns(sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ProcessRunner>())
            .WithContainers(sp.GetRequiredService<RuntimeChoice>().Containers));
        services.AddSingleton<JobScheduler>();
        services.AddSingleton<JobExplainer>();
        services.AddSingleton<IJobTrigger, ManualTrigger>();
        services.AddSingleton(sp => new BuildRunner(new RunnerOptions
        {
            Processes = sp.GetRequiredService<ProcessRunner>(),
            Containers = sp.GetRequiredService<RuntimeChoice>().Containers,
            ImageTasksOnHost = options.AllowImageTasksOnHost,
        }));
        services.AddSingleton(sp => new RunnerLoopOptions(sp.GetRequiredService<ServerNode>().Id, options.BuildCapacity, ExternalUrl(options), options.RunsBuilds));
        services.AddSingleton(sp => new BuildHandoff(sp.GetRequiredService<Ferry.Storage.IStore>(), sp.GetRequiredService<Ferry.Engine.Pipelines.PipelineConfigs>(),
            sp.GetRequiredService<PromotionBuilds>(), sp.GetRequiredService<EngineDirectories>(), sp.GetRequiredService<Ferry.Engine.Loops.LoopWaker>(), ExternalUrl(options)));
        services.AddSingleton<PullRequestEnvironments>();
        services.AddSingleton<EnvironmentSync>();
        services.AddSingleton<ReleaseFormer>();
        services.AddSingleton<PromotionPreviews>();
        services.AddSingleton<PromotionBuilds>();
        services.AddSingleton<Promotions>();
        services.AddSingleton<EnvironmentOverview>();
        services.AddSingleton<Ferry.Engine.Pushing.Pushes>();
        services.AddSingleton<PipelineRemoval>();
        services.AddSingleton<Ferry.Server.Pipelines.StageChanges>();
        services.AddSingleton(new ReaperOptions());
        services.AddSingleton<CheckerLoop>();
        services.AddSingleton<SchedulerLoop>();
        services.AddSingleton<PromoterLoop>();
        services.AddSingleton<IBuildPipelineSetters, Ferry.Server.Pipelines.BuildPipelineSetters>();
        services.AddSingleton<RunnerLoop>();
        services.AddSingleton<ReaperLoop>();
        services.AddSingleton<InstanceDrifts>(sp => new InstanceDrifts(sp.GetRequiredService<Ferry.Storage.IStore>(), sp.GetRequiredService<EngineDirectories>(),
            sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(new DriftLoopOptions(options.DriftInterval));
        services.AddSingleton<DriftLoop>();
        services.AddSingleton<InstanceSnapshots>();
        services.AddSingleton<IBackgroundLoop>(sp => sp.GetRequiredService<CheckerLoop>());
        services.AddSingleton<IBackgroundLoop>(sp => sp.GetRequiredService<SchedulerLoop>());
        services.AddSingleton<IBackgroundLoop>(sp => sp.GetRequiredService<PromoterLoop>());
        services.AddSingleton<IBackgroundLoop>(sp => sp.GetRequiredService<RunnerLoop>());
        services.AddSingleton<IBackgroundLoop>(sp => sp.GetRequiredService<ReaperLoop>());
        services.AddSingleton<IBackgroundLoop>(sp => sp.GetRequiredService<DriftLoop>());
        services.AddSingleton(sp => new NodeLoopOptions(sp.GetRequiredService<ServerNode>().Id, sp.GetRequiredService<ServerNode>().Name)
        {
            WorkerTimeout = options.WorkerTimeout,
            Interval = options.NodeInterval,
        });
        services.AddSingleton<NodeLoop>();
        services.AddSingleton<IBackgroundLoop>(sp => sp.GetRequiredService<NodeLoop>());
        if (options.RunLoops)
        {
            services.AddHostedService<LoopHost>();
            services.AddSingleton(new DrainTimeout(options.DrainTimeout));
            services.AddHostedService<NodeDrain>();
        }
    }

    /// <summary>Podman's probe, made before the services are built (it is asynchronous); null under <c>--runtime process</c>.</summary>
    internal sealed record RuntimeProbe(ContainerProbe? Probe);

    private static string ExternalUrl(ServerOptions options) =>
        options.ExternalUrl ?? options.Listen.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? ServerOptions.DefaultListen;
}
