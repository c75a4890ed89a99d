using Ferry.Engine.Loops;
using Ferry.Engine.Pipelines;
using Ferry.Engine.Running;
using Ferry.Storage;
using Microsoft.Extensions.Logging;

namespace Ferry.Engine.Reaping;

/// <summary>
/// The reaper: applies the log retention policy (events of finished builds beyond the newest N per job) and removes
/// build work roots that no running build owns (left by a crash).
/// </summary>
public sealed class ReaperLoop(IStore store, RunnerLoop runner, EngineDirectories directories, ReaperOptions options,
    ILogger<ReaperLoop> logger) : IBackgroundLoop
{
    public string Name => LoopNames.Reaper;

    public TimeSpan Interval => options.Interval;

    public async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var pruned = await store.PruneEventsAsync(options.KeepBuildsPerJob, cancellationToken);
        if (pruned > 0)
            logger.LogInformation("retention: deleted {Count} events of builds beyond the newest {Keep} per job", pruned, options.KeepBuildsPerJob);
        if (!Directory.Exists(directories.Builds))
            return;
        var running = runner.Running.Select(id => id.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToHashSet();
        foreach (var directory in Directory.EnumerateDirectories(directories.Builds))
        {
            if (running.Contains(Path.GetFileName(directory)))
                continue;
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                logger.LogWarning("could not remove {Directory}: {Message}", directory, e.Message);
            }
        }
    }
}

/// <param name="KeepBuildsPerJob">Builds per job whose events (logs) are kept.</param>
public sealed record ReaperOptions(int KeepBuildsPerJob = 100)
{
    public TimeSpan Interval { get; init; } = TimeSpan.FromMinutes(5);
}
