using System.Collections.Concurrent;
using Ferry.Core.Builds;
using Ferry.Core.Plans;
using Ferry.Engine.Loops;
using Ferry.Engine.Pipelines;
using Ferry.Engine.Promoting;
using Ferry.Engine.Resources;
using Ferry.Storage;
using Microsoft.Extensions.Logging;

namespace Ferry.Engine.Running;

/// <param name="NodeId">Who claims builds: this server node's id; when the node is gone, the others end its builds.</param>
/// <param name="Capacity">How many builds run at once on the embedded worker.</param>
/// <param name="ExternalUrl">ATC_EXTERNAL_URL for resource types: where this server is reached.</param>
public sealed record RunnerLoopOptions(string NodeId, int Capacity = 4, string ExternalUrl = "http://127.0.0.1:8080");

/// <summary>
/// The runner loop: claims pending builds up to its capacity and runs each on the embedded worker, stores its
/// events as they happen, records the versions its puts made, and aborts a build whose abort was asked for
/// (through the store, so any server node may ask).
/// </summary>
/// <param name="setters">Runs set_pipeline steps for a build (the server's); without one, those steps error.</param>
public sealed class RunnerLoop(
    IStore store, BuildRunner runner, PipelineConfigs configs, ResourceTypeRegistry types, EngineDirectories directories,
    PromotionBuilds promotions, LoopWaker waker, RunnerLoopOptions options, ILogger<RunnerLoop> logger,
    IBuildPipelineSetters? setters = null) : IBackgroundLoop, IDisposable
{
    private readonly ConcurrentDictionary<long, CancellationTokenSource> _running = new();
    private volatile bool _claiming = true;

    public string Name => LoopNames.Runner;

    public TimeSpan Interval => TimeSpan.FromMilliseconds(500);

    /// <summary>Builds this node runs now.</summary>
    public IReadOnlyCollection<long> Running => _running.Keys.ToList();

    public async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        await AbortRequestedAsync(cancellationToken);
        while (_claiming && _running.Count < options.Capacity)
        {
            var build = await store.ClaimNextBuildAsync(options.NodeId, cancellationToken);
            if (build is null)
                return;
            var abort = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            _running[build.Id] = abort;
            _ = Task.Run(() => RunAsync(build, abort.Token), CancellationToken.None);
        }
    }

    /// <summary>A draining node: from now on this runner claims no build (the other nodes take them); those running go on.</summary>
    public void StopClaiming() => _claiming = false;

    /// <summary>Waits until no build runs here, or <paramref name="timeout"/> passes; true when none runs.</summary>
    public async Task<bool> WaitIdleAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!_running.IsEmpty)
        {
            if (DateTime.UtcNow >= deadline)
                return false;
            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
        }
        return true;
    }

    /// <summary>Aborts every build running here, recording <paramref name="reason"/> as each one's reason.</summary>
    public async Task AbortRunningAsync(string reason, CancellationToken cancellationToken)
    {
        foreach (var (id, abort) in _running)
        {
            await store.RequestAbortAsync(id, reason, cancellationToken);
            logger.LogWarning("aborting build {Build}: {Reason}", id, reason);
            await abort.CancelAsync();
        }
    }

    private async Task AbortRequestedAsync(CancellationToken cancellationToken)
    {
        foreach (var (id, abort) in _running)
        {
            var build = await store.GetBuildAsync(id, cancellationToken);
            if (build is { AbortRequested: true } && !abort.IsCancellationRequested)
            {
                logger.LogInformation("aborting build {Build}", id);
                await abort.CancelAsync();
            }
        }
    }

    private async Task RunAsync(BuildRecord build, CancellationToken abort)
    {
        var workRoot = directories.Build(build.Id);
        var status = BuildStatus.Errored;
        string? reason = null;
        await using var events = new BufferedBuildEventSink(store, build.Id);
        try
        {
            var result = await runner.RunAsync(await RequestAsync(build, workRoot, events, abort), abort);
            await events.FlushAsync();
            status = result.Status;
            await RecordPutsAsync(build, result);
            if (status == BuildStatus.Aborted)
                reason = (await store.GetBuildAsync(build.Id, CancellationToken.None))?.Reason ?? "aborted";
        }
        catch (Exception e)
        {
            reason = e is OperationCanceledException
                ? (await store.GetBuildAsync(build.Id, CancellationToken.None))?.Reason ?? "aborted"
                : await RedactAsync(build, e.Message);
            status = e is OperationCanceledException ? BuildStatus.Aborted : BuildStatus.Errored;
            logger.LogError("build {Build} {Status}: {Reason}", build.Id, status, reason);
            await FlushQuietlyAsync(events);
            await store.AppendEventsAsync(build.Id, [
                new BuildEvent(build.Id, 0, DateTimeOffset.UtcNow, BuildEventType.Error, Text: reason),
                new BuildEvent(build.Id, 0, DateTimeOffset.UtcNow, BuildEventType.Status, Text: status.ToString().ToLowerInvariant()),
            ], CancellationToken.None);
        }
        finally
        {
            await FinishAsync(build, status, reason, workRoot);
        }
    }

    // The reason is stored and shown as it is, outside the build's log and its redactor.
    private async Task<string> RedactAsync(BuildRecord build, string text)
    {
        try
        {
            return build.PipelineId is { } id ? new Redactor(await configs.SecretValuesAsync(id, CancellationToken.None)).Redact(text) : text;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return $"the build errored; its error is not shown, as the pipeline's secrets could not be read to redact it ({e.GetType().Name})";
        }
    }

    private async Task FinishAsync(BuildRecord build, BuildStatus status, string? reason, string workRoot)
    {
        try
        {
            await store.FinishBuildAsync(build.Id, status, reason, CancellationToken.None);
            logger.LogInformation("{Build} {Status}", build.Title, status.ToString().ToLowerInvariant());
        }
        catch (Exception e)
        {
            logger.LogError("could not record the end of build {Build}: {Message}", build.Id, e.Message);
        }
        finally
        {
            if (_running.TryRemove(build.Id, out var abort))
                abort.Dispose();
            // Woken before the work root is removed: deleting a build's directories took 4-18 ms on a loaded machine,
            // which a promotion waiting on this build used to wait for too (bench/README.md, node-red-push).
            waker.Wake(LoopNames.Promoter);
            waker.Wake(LoopNames.Scheduler);
            waker.Wake(LoopNames.Runner);
            TryDelete(workRoot);
        }
    }

    private async Task FlushQuietlyAsync(BufferedBuildEventSink events)
    {
        try
        {
            await events.FlushAsync();
        }
        catch (Exception e)
        {
            logger.LogError("could not store the last events of a build: {Message}", e.Message);
        }
    }

    private async Task<BuildRequest> RequestAsync(BuildRecord build, string workRoot, IBuildEventSink events, CancellationToken cancellationToken)
    {
        var plan = PlanJson.Deserialize(build.PlanJson);
        // The config the plan was compiled from, not whatever was set since: its resource types and secrets.
        var planned = await store.GetBuildConfigNumberAsync(build.Id, cancellationToken);
        var config = build.PipelineId is { } pipelineId ? await configs.PlannedAsync(pipelineId, planned, cancellationToken) : null;
        // Null for a name nobody knows; a declared type that cannot run (an image without containers) says why.
        var lookup = types.Lookup(ResourceTypeDeclarations.Of(config));
        var promotion = await promotions.ContextAsync(build, plan, cancellationToken);
        IReadOnlyCollection<string> secrets = build.PipelineId is { } id ? await configs.SecretValuesAsync(id, planned, cancellationToken) : [];
        return new BuildRequest(build.Id, plan, workRoot, lookup, events)
        {
            TaskConfigs = new TaskFileSource(),
            Secrets = promotion is null ? secrets : [.. secrets, .. promotion.Secrets],
            TaskEnvironment = promotion?.Environment ?? new Dictionary<string, string>(),
            ResourceCache = directories.ResourceCache,
            PipelineSetter = setters?.For(build),
            Metadata = new Dictionary<string, string>
            {
                ["BUILD_ID"] = build.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["BUILD_NAME"] = build.Name,
                ["BUILD_JOB_NAME"] = build.JobName ?? "",
                ["BUILD_PIPELINE_NAME"] = build.PipelineName ?? "",
                ["BUILD_TEAM_NAME"] = "main",
                ["ATC_EXTERNAL_URL"] = options.ExternalUrl,
            },
        };
    }

    private async Task RecordPutsAsync(BuildRecord build, BuildResult result)
    {
        if (build.PipelineId is not { } pipelineId)
            return;
        foreach (var put in result.Puts)
        {
            var resource = await store.GetResourceAsync(pipelineId, put.Resource, CancellationToken.None);
            if (resource is not null)
                await store.SaveBuildOutputAsync(build.Id, resource.Id, put.Version, CancellationToken.None);
        }
        if (result.Puts.Any(p => p.Resource.StartsWith("instance(", StringComparison.Ordinal)))
            await new Instances.InstanceDeploys(store, directories.ResourceCache, TimeProvider.System)
                .RecordAsync(build, PlanJson.Deserialize(build.PlanJson), result.Puts, CancellationToken.None);
    }

    private static void TryDelete(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
                Directory.Delete(directory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The reaper removes work roots left behind.
        }
    }

    public void Dispose()
    {
        foreach (var abort in _running.Values)
            abort.Dispose();
    }
}
