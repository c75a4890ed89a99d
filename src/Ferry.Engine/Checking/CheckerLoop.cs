using Ferry.Core.Pipelines;
using Ferry.Core.Validation;
using Ferry.Core.Versions;
using Ferry.Engine.Loops;
using Ferry.Engine.Pipelines;
using Ferry.Engine.Resources;
using Ferry.Storage;
using Microsoft.Extensions.Logging;

namespace Ferry.Engine.Checking;

/// <summary>
/// The checker: runs every due resource's check (several at once), saves the versions it finds and wakes the
/// scheduler when there are new ones. One resource's failing check is recorded on that resource and backs off; it
/// never stops the others. A lock per resource keeps two server nodes from checking the same one.
/// </summary>
public sealed class CheckerLoop(
    IStore store, PipelineConfigs configs, ResourceTypeRegistry types, LoopWaker waker, EngineDirectories directories,
    TimeProvider clock, ILogger<CheckerLoop> logger) : IBackgroundLoop
{
    private const int Parallelism = 4;

    public string Name => LoopNames.Checker;

    public TimeSpan Interval => TimeSpan.FromSeconds(1);

    public async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var due = await store.ListResourcesDueForCheckAsync(clock.GetUtcNow(), cancellationToken);
        var found = 0;
        await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
            async (resource, ct) =>
            {
                if (await CheckAsync(resource, ct) > 0)
                    Interlocked.Increment(ref found);
            });
        if (found > 0)
            waker.Wake(LoopNames.Scheduler);
    }

    /// <summary>Checks one resource now; returns how many versions the check reported.</summary>
    public async Task<int> CheckAsync(ResourceRecord resource, CancellationToken cancellationToken)
    {
        await using var held = await store.Locks.TryAcquireAsync($"check:{resource.Id}", cancellationToken);
        if (held is null)
            return 0;
        var now = clock.GetUtcNow();
        var config = await configs.CurrentAsync(resource.PipelineId, cancellationToken);
        var declared = config?.FindResource(resource.Name);
        var every = CheckInterval.Every(declared?.CheckEvery);
        if (every is null && resource.NextCheckAt is null)
        {
            // check_every: never: a new resource waits for its webhook or `ferry check` (which set a next check time).
            return 0;
        }
        try
        {
            var versions = await RunCheckAsync(resource, config, declared, cancellationToken);
            var saved = versions.Count > 0 ? await store.SaveVersionsAsync(resource.Id, versions, cancellationToken) : [];
            await store.RecordCheckAsync(resource.Id, now, null, every is { } e ? now + e : CheckInterval.Never, cancellationToken);
            return saved.Count;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var retryable = e is not ResourceException { IsRetryable: false };
            var message = e is ResourceException or TimeoutException or OperationCanceledException ? e.Message : $"{e.GetType().Name}: {e.Message}";
            // A source with a secret var in it (a URL with a token) may come back in the error, which is stored and shown.
            message = new Running.Redactor(await configs.SecretValuesAsync(resource.PipelineId, CancellationToken.None)).Redact(message);
            var next = CheckInterval.AfterFailure(now, retryable, every, resource.LastCheckedAt, resource.NextCheckAt, resource.LastCheckError is not null);
            logger.LogWarning("check of {Resource} failed ({Kind}); next at {Next:HH:mm:ss}: {Message}",
                resource.Name, retryable ? "retrying" : "terminal", next, message);
            await store.RecordCheckAsync(resource.Id, now, message, next, CancellationToken.None);
            return 0;
        }
    }

    private async Task<IReadOnlyList<ResourceVersion>> RunCheckAsync(ResourceRecord resource, PipelineConfig? config,
        ResourceConfig? declared, CancellationToken cancellationToken)
    {
        var registered = types.Resolve(resource.Type, ResourceTypeDeclarations.Of(config));
        var source = registered.SourceWithDefaults(resource.Source);
        var problems = types.ValidateSource(resource.Type, source, ResourceTypeDeclarations.Of(config), $"resources.{resource.Name}.source");
        if (!problems.Ok)
            throw new ResourceConfigException(problems.Errors);
        RuntimeVars.EnsureResolved(source, $"resources.{resource.Name}.source");
        var latest = await store.GetLatestVersionAsync(resource.Id, cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(CheckTimeout(declared));
        var log = new StringWriter();
        var call = new ResourceCall(log, new Dictionary<string, string>(), directories.ResourceCache);
        try
        {
            return await registered.Type.CheckAsync(call, source, latest?.Version, timeout.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw ResourceException.Retryable($"check timed out after {CheckTimeout(declared)}");
        }
    }

    private static TimeSpan CheckTimeout(ResourceConfig? declared) =>
        declared?.CheckTimeout is { } text && GoDuration.TryParse(text, out var t) && t > TimeSpan.Zero ? t : TimeSpan.FromHours(1);
}
