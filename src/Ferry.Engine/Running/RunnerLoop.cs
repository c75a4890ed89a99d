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
/// <param name="Embedded">False with <c>--no-embedded-worker</c>: this node claims no builds (remote workers run them all).</param>
public sealed record RunnerLoopOptions(string NodeId, int Capacity = 4, string ExternalUrl = "http://127.0.0.1:8080", bool Embedded = true);

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
    private readonly BuildHandoff _handoff = new(store, configs, promotions, directories, waker, options.ExternalUrl);

    public string Name => LoopNames.Runner;

    public TimeSpan Interval => TimeSpan.FromMilliseconds(500);

    /// <summary>Builds this node runs now.</summary>
    public IReadOnlyCollection<long> Running => _running.Keys.ToList();

    public async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        await AbortRequestedAsync(cancellationToken);
        while (_claiming && options.Embedded && _running.Count < options.Capacity)
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
            await CancelAsync(abort);
        }
    }

    /// <summary>
    /// Cancels a build's token; a build that ended meanwhile (its token disposed by <see cref="FinishAsync"/> while
    /// the store was asked) has nothing left to abort.
    /// </summary>
    private static async Task CancelAsync(CancellationTokenSource abort)
    {
        try
        {
            await abort.CancelAsync();
        }
        catch (ObjectDisposedException)
        {
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
                await CancelAsync(abort);
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
            await _handoff.RecordPutsAsync(build, result.Puts);
            if (status == BuildStatus.Aborted)
                reason = (await store.GetBuildAsync(build.Id, CancellationToken.None))?.Reason ?? "aborted";
        }
        catch (Exception e)
        {
            reason = e is OperationCanceledException
                ? (await store.GetBuildAsync(build.Id, CancellationToken.None))?.Reason ?? "aborted"
                : await _handoff.RedactAsync(build, e.Message);
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

    private async Task FinishAsync(BuildRecord build, BuildStatus status, string? reason, string workRoot)
    {
        try
        {
            await _handoff.FinishAsync(build.Id, status, reason);
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
            _handoff.Wake();
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
        var context = await _handoff.ContextAsync(build, cancellationToken);
        // Null for a name nobody knows; a declared type that cannot run (an image without containers) says why.
        return new BuildRequest(build.Id, context.Plan, workRoot, types.Lookup(context.ResourceTypes), events)
        {
            TaskConfigs = new TaskFileSource(),
            Secrets = context.Secrets,
            TaskEnvironment = context.TaskEnvironment,
            ResourceCache = directories.ResourceCache,
            PipelineSetter = setters?.For(build),
            Metadata = context.Metadata,
        };
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
