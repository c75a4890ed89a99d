using Ferry.Engine.Loops;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Ferry.Server.Hosting;

/// <summary>Runs every registered <see cref="IBackgroundLoop"/> on its own interval until the server stops.</summary>
internal sealed partial class LoopHost(
    IEnumerable<IBackgroundLoop> loops, LoopWaker waker, LoopPasses passes, TimeProvider clock, ILogger<LoopHost> logger) : BackgroundService
{
    internal static readonly TimeSpan MaxBackOff = TimeSpan.FromMinutes(1);

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var all = loops.ToList();
        var duplicate = all.GroupBy(l => l.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException($"starting the background loops: two loops are named '{duplicate.Key}'");
        }
        return Task.WhenAll(all.Select(loop => Task.Run(() => RunLoopAsync(loop, stoppingToken), CancellationToken.None)));
    }

    private async Task RunLoopAsync(IBackgroundLoop loop, CancellationToken stoppingToken)
    {
        LogStarted(loop.Name, loop.Interval);
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await loop.RunOnceAsync(stoppingToken);
                passes.Finished(loop.Name, clock.GetUtcNow());
                if (failures > 0)
                {
                    LogRecovered(loop.Name, failures);
                }
                failures = 0;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                failures++;
                // The stack once; a loop failing every pass would otherwise flood the console.
                LogFailed(failures == 1 ? e : null, loop.Name, failures, e.Message);
            }
            try
            {
                await waker.WaitAsync(loop.Name, Delay(loop.Interval, failures), stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>The interval, or after failures a doubling back-off from it (at least 1 s, at most <see cref="MaxBackOff"/>).</summary>
    internal static TimeSpan Delay(TimeSpan interval, int failures)
    {
        if (failures == 0)
        {
            return interval;
        }
        var baseDelay = interval < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : interval;
        var factor = Math.Pow(2, Math.Min(failures - 1, 16));
        var delay = TimeSpan.FromMilliseconds(baseDelay.TotalMilliseconds * factor);
        return delay > MaxBackOff ? (baseDelay > MaxBackOff ? baseDelay : MaxBackOff) : delay;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "loop {Loop} started, every {Interval}")]
    private partial void LogStarted(string loop, TimeSpan interval);

    [LoggerMessage(Level = LogLevel.Error, Message = "loop {Loop} failed ({Failures} in a row): {Reason}")]
    private partial void LogFailed(Exception? e, string loop, int failures, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "loop {Loop} works again after {Failures} failures")]
    private partial void LogRecovered(string loop, int failures);
}
