using System.Collections.Concurrent;
using Ferry.Core.Builds;
using Ferry.Core.Plans;
using Ferry.Engine.Pipelines;
using Ferry.Engine.Resources;
using Ferry.Engine.Running;
using Microsoft.Extensions.Logging;

namespace Ferry.Engine.Workers;

/// <param name="Tags">The worker's tags (<c>--tag</c>).</param>
/// <param name="Runtime">The runtime tasks run with, resolved: <c>process</c> or <c>container</c>.</param>
/// <param name="Capacity">How many builds run at once.</param>
/// <param name="Version">Ferry's version, told to the servers.</param>
/// <param name="StopTimeout">On a stop, how long the aborted builds get to end and be reported before the worker leaves anyway.</param>
/// <param name="ClaimInterval">How often an idle worker asks for a build.</param>
public sealed record RemoteWorkerOptions(
    IReadOnlyList<string> Tags, string Runtime, int Capacity, string Version, TimeSpan StopTimeout, TimeSpan ClaimInterval)
{
    public RemoteWorkerOptions(IReadOnlyList<string> tags, string runtime, int capacity, string version)
        : this(tags, runtime, capacity, version, TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(500))
    {
    }
}

/// <summary>
/// A remote worker (<c>ferry worker</c>): registers with the servers, heartbeats, claims builds that fit its tags up
/// to its capacity, runs each with its own <see cref="BuildRunner"/> in a work root of its own, sends the events back
/// (<see cref="RemoteEventSink"/>) and reports each end until the server has it. A server that cannot be reached is
/// retried (<see cref="Backoff"/>) while builds keep running; a token the server refuses (401) stops the worker.
/// </summary>
/// <remarks>
/// Two phases, as the worker's name comes from the servers: <see cref="RegisterAsync"/> (retried until a server
/// answers), then <see cref="RunAsync"/> with what runs builds (<see cref="WorkerTools"/>, made in the work directory
/// named after the worker).
/// </remarks>
public sealed class RemoteWorker(WorkerClient client, RemoteWorkerOptions options, ILogger<RemoteWorker> logger, RemoteEventSinkOptions? eventOptions = null)
{
    private readonly ConcurrentDictionary<long, WorkerBuild> _running = new();
    private readonly SemaphoreSlim _ended = new(0, int.MaxValue);
    private readonly CancellationTokenSource _hardStop = new();
    private WorkerUnauthorizedException? _refused;
    private TimeSpan _heartbeat = TimeSpan.FromSeconds(10);
    private WorkerTools? _tools;

    /// <summary>The worker's name as the servers know it (from its token); empty until registered.</summary>
    public string Name { get; private set; } = "";

    private WorkerTools Tools => _tools ?? throw new InvalidOperationException("the worker runs no builds before RunAsync");

    /// <summary>Builds this worker runs now.</summary>
    public IReadOnlyList<long> Running => [.. _running.Keys.Order()];

    /// <summary>Registers with the servers, trying again (and saying so) while none can be reached.</summary>
    /// <returns>The worker's name, from its token.</returns>
    /// <exception cref="WorkerUnauthorizedException">The servers refused the token.</exception>
    /// <exception cref="WorkerRefusedException">The servers refused the registration (not a worker token, bad tags).</exception>
    public async Task<string> RegisterAsync(CancellationToken cancellation)
    {
        await RegisterAgainAsync(cancellation);
        return Name;
    }

    /// <summary>
    /// Claims and runs builds until <paramref name="stop"/>: then claims no more, aborts its running builds (reason
    /// "worker NAME stopped"), reports them and returns.
    /// </summary>
    /// <exception cref="WorkerUnauthorizedException">The servers refused the token; the running builds were killed.</exception>
    public async Task RunAsync(WorkerTools tools, CancellationToken stop)
    {
        if (Name.Length == 0)
            throw new InvalidOperationException("register the worker before running it");
        _tools = tools;
        using var beating = CancellationTokenSource.CreateLinkedTokenSource(_hardStop.Token);
        var heartbeat = Task.Run(() => HeartbeatAsync(beating.Token), CancellationToken.None);
        await ClaimAsync(stop);
        await StopBuildsAsync();
        await beating.CancelAsync();
        await heartbeat;
        if (_refused is { } refused)
            throw refused;
    }

    private async Task RegisterAgainAsync(CancellationToken cancellation)
    {
        var backoff = new Backoff();
        var since = DateTimeOffset.UtcNow;
        var said = DateTimeOffset.MinValue;
        while (true)
        {
            try
            {
                var registered = await client.RegisterAsync(new WorkerRegistration(options.Tags, options.Runtime, options.Capacity, options.Version, Running), cancellation);
                Name = registered.Name;
                _heartbeat = TimeSpan.FromSeconds(Math.Max(1, registered.HeartbeatSeconds));
                logger.LogInformation("registered with {Server} as worker {Name} (tags: {Tags}; runtime {Runtime}; capacity {Capacity}; heartbeat every {Heartbeat} s)",
                    client.Server, Name, options.Tags.Count == 0 ? "none" : string.Join(", ", options.Tags), options.Runtime, options.Capacity, _heartbeat.TotalSeconds);
                return;
            }
            catch (WorkerServerUnavailableException e)
            {
                if (DateTimeOffset.UtcNow - said > TimeSpan.FromSeconds(30))
                {
                    said = DateTimeOffset.UtcNow;
                    logger.LogWarning("cannot register with the server (for {Seconds:0} s now), trying again: {Message}", (said - since).TotalSeconds, e.Message);
                }
                await backoff.WaitAsync(cancellation);
            }
        }
    }

    private async Task HeartbeatAsync(CancellationToken cancellation)
    {
        var backoff = new Backoff();
        var wait = _heartbeat;
        while (!cancellation.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(wait, cancellation);
                var reply = await client.HeartbeatAsync(new WorkerHeartbeat(Running), cancellation);
                if (reply is null)
                {
                    logger.LogWarning("the server took this worker for lost; registering again with {Count} running build(s)", _running.Count);
                    await RegisterAgainAsync(cancellation);
                }
                else
                {
                    Apply(reply);
                }
                if (backoff.Failures > 0)
                    logger.LogInformation("the server answers again");
                backoff.Reset();
                wait = _heartbeat;
            }
            catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
            {
                return;
            }
            catch (WorkerUnauthorizedException e)
            {
                Refuse(e);
                return;
            }
            catch (Exception e) when (e is WorkerServerUnavailableException or WorkerRefusedException)
            {
                if (backoff.Failures == 0)
                    logger.LogWarning("heartbeat failed; the running builds go on, trying again: {Message}", e.Message);
                // Again after the back-off, not a whole interval later: a server back from a restart hears from this worker at once.
                try
                {
                    await backoff.WaitAsync(cancellation);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                wait = TimeSpan.Zero;
            }
        }
    }

    private void Apply(WorkerHeartbeatReply reply)
    {
        foreach (var id in reply.Drop)
        {
            if (_running.TryGetValue(id, out var build) && !build.Dropped)
            {
                logger.LogWarning("build {Build}: the server no longer gives it to this worker; killing it without a report", id);
                build.Drop();
            }
        }
        foreach (var id in reply.Abort)
        {
            if (_running.TryGetValue(id, out var build) && !build.Abort.IsCancellationRequested)
            {
                logger.LogInformation("aborting build {Build}, as asked", id);
                build.Cancel(reason: null);
            }
        }
    }

    private async Task ClaimAsync(CancellationToken stop)
    {
        var backoff = new Backoff();
        while (!stop.IsCancellationRequested && _refused is null)
        {
            try
            {
                if (_running.Count >= options.Capacity)
                {
                    await _ended.WaitAsync(options.ClaimInterval, stop);
                    continue;
                }
                var assignment = await client.ClaimAsync(stop);
                if (backoff.Failures > 0)
                    logger.LogInformation("the server answers again");
                backoff.Reset();
                if (assignment is null)
                {
                    await _ended.WaitAsync(options.ClaimInterval, stop);
                    continue;
                }
                Start(assignment);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (WorkerUnauthorizedException e)
            {
                Refuse(e);
                return;
            }
            catch (WorkerRefusedException e) when (e.Status == 404)
            {
                logger.LogWarning("the server took this worker for lost ({Message}); registering again with {Count} running build(s)", e.Message, _running.Count);
                await RegisterAgainAsync(stop);
            }
            catch (Exception e) when (e is WorkerServerUnavailableException or WorkerRefusedException)
            {
                if (backoff.Failures == 0)
                    logger.LogWarning("cannot claim builds, trying again: {Message}", e.Message);
                try
                {
                    await backoff.WaitAsync(stop);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private void Start(WorkerAssignment assignment)
    {
        var build = new WorkerBuild(assignment, CancellationTokenSource.CreateLinkedTokenSource(_hardStop.Token));
        _running[assignment.BuildId] = build;
        logger.LogInformation("{Build} started (build {Id})", assignment.Title, assignment.BuildId);
        build.Task = Task.Run(() => RunBuildAsync(build), CancellationToken.None);
    }

    private async Task RunBuildAsync(WorkerBuild build)
    {
        var assignment = build.Assignment;
        var id = assignment.BuildId;
        var workRoot = Tools.Directories.Build(id);
        try
        {
            var events = new RemoteEventSink(id, (batch, cancellation) => client.PostEventsAsync(id, batch, cancellation), logger,
                eventOptions, onGone: build.Drop, stopping: _hardStop.Token);
            await using (events)
            {
                var (status, reason, result) = await RunPlanAsync(build, workRoot, events);
                if (!build.Dropped)
                    await ReportAsync(build, events, new WorkerBuildEnd(status, reason, result?.Gets ?? [], result?.Puts ?? [], 0));
            }
        }
        catch (Exception e)
        {
            logger.LogError("build {Build}: {Message}", id, e.Message);
        }
        finally
        {
            // Deleted before the build leaves the running set, so a stopping worker waits for the deletion too.
            TryDelete(workRoot);
            _running.TryRemove(id, out _);
            build.Abort.Dispose();
            _ended.Release();
        }
    }

    private async Task<(BuildStatus Status, string? Reason, BuildResult? Result)> RunPlanAsync(WorkerBuild build, string workRoot, RemoteEventSink events)
    {
        var assignment = build.Assignment;
        try
        {
            var request = new BuildRequest(assignment.BuildId, PlanJson.Deserialize(assignment.Plan), workRoot, Tools.Types.Lookup(assignment.ResourceTypes), events)
            {
                TaskConfigs = new TaskFileSource(),
                Secrets = assignment.Secrets.ToList(),
                TaskEnvironment = assignment.TaskEnvironment,
                Metadata = assignment.Metadata,
                ResourceCache = Tools.Directories.ResourceCache,
                PipelineSetter = new RemotePipelineSetter(client, assignment.BuildId),
            };
            var result = await Tools.Runner.RunAsync(request, build.Abort.Token);
            return (result.Status, result.Status == BuildStatus.Aborted ? build.Reason : null, result);
        }
        catch (Exception e)
        {
            var aborted = e is OperationCanceledException;
            // The reason is shown outside the build's log and its redactor.
            var reason = aborted ? build.Reason : new Redactor(assignment.Secrets.ToList()).Redact(e.Message);
            var status = aborted ? BuildStatus.Aborted : BuildStatus.Errored;
            logger.LogError("build {Build} {Status}: {Reason}", assignment.BuildId, status.ToString().ToLowerInvariant(), reason ?? "aborted");
            await events.WriteAsync(new BuildEvent(assignment.BuildId, 0, DateTimeOffset.UtcNow, BuildEventType.Error, Text: reason ?? "aborted"));
            await events.WriteAsync(new BuildEvent(assignment.BuildId, 0, DateTimeOffset.UtcNow, BuildEventType.Status, Text: status.ToString().ToLowerInvariant()));
            return (status, reason, null);
        }
    }

    /// <summary>
    /// Sends the build's last events and its end until the server has both. A 409 on the end means the server lacks
    /// events (they are sent again first) or the build is not this worker's any more (after a few, the worker gives up).
    /// </summary>
    private async Task ReportAsync(WorkerBuild build, RemoteEventSink events, WorkerBuildEnd end)
    {
        var id = build.Assignment.BuildId;
        var backoff = new Backoff();
        var conflicts = 0;
        try
        {
            while (true)
            {
                if (!await events.FlushAsync(_hardStop.Token))
                    return; // the server no longer gives the build to this worker: nothing to report
                try
                {
                    await client.EndAsync(id, end with { EventCount = events.Written }, _hardStop.Token);
                    logger.LogInformation("{Build} {Status}", build.Assignment.Title, end.Status.ToString().ToLowerInvariant());
                    return;
                }
                catch (WorkerBuildGoneException e) when (e.Status == 409 && ++conflicts < 5)
                {
                    logger.LogWarning("build {Build}: the server did not take its end yet ({Message}); sending its events again", id, e.Message);
                }
                catch (WorkerServerUnavailableException e)
                {
                    if (backoff.Failures == 0)
                        logger.LogWarning("build {Build}: cannot report its end ({Status}), trying again: {Message}", id, end.Status.ToString().ToLowerInvariant(), e.Message);
                }
                await backoff.WaitAsync(_hardStop.Token);
            }
        }
        catch (OperationCanceledException) when (_hardStop.IsCancellationRequested)
        {
            logger.LogError("build {Build}: its end ({Status}) was not reported: the worker stopped first", id, end.Status.ToString().ToLowerInvariant());
        }
        catch (WorkerUnauthorizedException e)
        {
            Refuse(e);
        }
        catch (Exception e) when (e is WorkerBuildGoneException or WorkerRefusedException)
        {
            logger.LogError("build {Build}: the server refused its end ({Status}): {Message}", id, end.Status.ToString().ToLowerInvariant(), e.Message);
        }
    }

    /// <summary>Aborts what runs (on a stop) and waits for the builds to be reported, at most <see cref="RemoteWorkerOptions.StopTimeout"/>.</summary>
    private async Task StopBuildsAsync()
    {
        var builds = _running.Values.ToList();
        if (_refused is null && builds.Count > 0)
        {
            logger.LogInformation("stopping: aborting {Count} running build(s)", builds.Count);
            foreach (var build in builds)
                build.Cancel($"worker {Name} stopped");
        }
        var all = Task.WhenAll(builds.Select(b => b.Task));
        try
        {
            await all.WaitAsync(options.StopTimeout);
        }
        catch (TimeoutException)
        {
            logger.LogError("stopping: {Count} build(s) were not reported within {Seconds} s; leaving them to the server's worker timeout",
                _running.Count, options.StopTimeout.TotalSeconds);
        }
        await _hardStop.CancelAsync();
        await all;
    }

    /// <summary>The token was refused: kill every build (nothing can be reported) and stop.</summary>
    private void Refuse(WorkerUnauthorizedException e)
    {
        if (Interlocked.CompareExchange(ref _refused, e, null) is not null)
            return;
        logger.LogError("{Message}; stopping", e.Message);
        _hardStop.Cancel();
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
            // The next start of the worker removes what is left (WorkerDirectory.Prepare).
        }
    }

    /// <summary>One build this worker runs.</summary>
    private sealed class WorkerBuild(WorkerAssignment assignment, CancellationTokenSource abort)
    {
        public WorkerAssignment Assignment { get; } = assignment;

        public CancellationTokenSource Abort { get; } = abort;

        public Task Task { get; set; } = Task.CompletedTask;

        /// <summary>Why the worker aborted it; null when the server asked (the server keeps its own reason).</summary>
        public string? Reason { get; private set; }

        /// <summary>The server no longer gives it to this worker: it is killed and nothing more is reported.</summary>
        public bool Dropped { get; private set; }

        public void Cancel(string? reason)
        {
            Reason ??= reason;
            TryCancel();
        }

        public void Drop()
        {
            Dropped = true;
            TryCancel();
        }

        private void TryCancel()
        {
            try
            {
                Abort.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // it ended meanwhile
            }
        }
    }
}

/// <summary>What a remote worker runs builds with: its runner (processes, containers), its resource types, its work directory.</summary>
public sealed record WorkerTools(BuildRunner Runner, ResourceTypeRegistry Types, EngineDirectories Directories);
