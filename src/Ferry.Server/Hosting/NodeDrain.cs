using System.Globalization;
using System.Runtime.InteropServices;
using Ferry.Engine.Running;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Ferry.Server.Hosting;

/// <summary>
/// A clean stop (SIGTERM, Ctrl-C) drains the node before anything stops: its runner claims no more builds (the other
/// nodes, or this one's next start, take them), the builds running here may end for up to the drain timeout, and
/// those still running then are aborted with a reason naming the node. It runs before the web server and the loops
/// stop, so meanwhile the node still answers the API and beats (the others do not take it for lost). Pending and
/// approved promotions stay in the store for any node's promoter; a promotion whose build ends here ends as usual.
/// A second SIGTERM or Ctrl-C while draining aborts the running builds at once.
/// </summary>
internal sealed class NodeDrain(RunnerLoop runner, ServerNode node, DrainTimeout timeout, ILogger<NodeDrain> logger) : IHostedLifecycleService
{
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        runner.StopClaiming();
        var running = runner.Running.Count;
        if (running == 0)
            return;
        logger.LogInformation("node {Node} is draining: it claims no more builds and waits up to {Seconds} s for the {Count} running here " +
            "({Builds}); stop it again (SIGTERM, Ctrl-C) to abort them now", node.Name, timeout.Value.TotalSeconds, running, string.Join(", ", runner.Running));
        using var again = new CancellationTokenSource();
        // The signal that began the stop came before these: the next one asks not to wait.
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, AgainHandler(again));
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, AgainHandler(again));
        try
        {
            string reason;
            try
            {
                using var waiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, again.Token);
                if (await runner.WaitIdleAsync(timeout.Value, waiting.Token))
                {
                    logger.LogInformation("node {Node} drained: no build runs here", node.Name);
                    return;
                }
                reason = string.Create(CultureInfo.InvariantCulture,
                    $"the server node {node.Name} ({node.Id}) stopped: the build was still running after its drain timeout of {timeout.Value.TotalSeconds} s");
            }
            catch (OperationCanceledException) when (again.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                reason = $"the server node {node.Name} ({node.Id}) stopped: it was told to stop again while draining, so it did not wait for the build";
            }
            await runner.AbortRunningAsync(reason, cancellationToken);
            await runner.WaitIdleAsync(TimeSpan.FromSeconds(10), cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // The host's shutdown timeout passed: the loops stop now and the builds left end with them.
        }
    }

    private static Action<PosixSignalContext> AgainHandler(CancellationTokenSource again) => context =>
    {
        context.Cancel = true;
        again.Cancel();
    };

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>How long a stopping node waits for its running builds (<c>--drain-timeout</c>).</summary>
internal sealed record DrainTimeout(TimeSpan Value);
