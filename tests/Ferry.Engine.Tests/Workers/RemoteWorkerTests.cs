using Ferry.Core.Builds;
using Ferry.Core.Plans;
using Ferry.Engine.Pipelines;
using Ferry.Engine.Processes;
using Ferry.Engine.Resources;
using Ferry.Engine.Running;
using Ferry.Engine.Tests.Running;
using Ferry.Engine.Workers;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ferry.Engine.Tests.Workers;

/// <summary>
/// A real <see cref="RemoteWorker"/> (its HTTP client, its build runner and real processes) against the protocol
/// spoken over HTTP on 127.0.0.1 by <see cref="ProtocolEndpoint"/>.
/// </summary>
public sealed class RemoteWorkerTests : IDisposable
{
    private readonly RunnerHarness h = new();

    public void Dispose() => h.Dispose();

    private static readonly RemoteWorkerOptions Options = new(["remote"], "process", 2, "1.0.0", TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(100));

    private (RemoteWorker Worker, WorkerTools Tools, WorkerClient Client) NewWorker(ProtocolEndpoint endpoint)
    {
        var directories = new EngineDirectories(Path.Combine(h.Root, "worker"));
        var processes = new ProcessRunner(directories.Processes);
        var tools = new WorkerTools(new BuildRunner(new RunnerOptions { Processes = processes }), ResourceTypeRegistry.WithBuiltIns(TimeProvider.System, processes), directories);
        var client = new WorkerClient(endpoint.Url, "worker-token");
        return (new RemoteWorker(client, Options, NullLogger<RemoteWorker>.Instance), tools, client);
    }

    /// <summary>A registered worker's run, and its client (disposed with it).</summary>
    private sealed record Running(Task Run, WorkerClient Client) : IDisposable
    {
        public void Dispose() => Client.Dispose();
    }

    /// <summary>Registers a new worker with <paramref name="endpoint"/> and runs it until its build's task has printed <c>sleeping</c>.</summary>
    private async Task<Running> RunUntilSleepingAsync(ProtocolEndpoint endpoint, CancellationToken stop)
    {
        var (worker, tools, client) = NewWorker(endpoint);
        try
        {
            await worker.RegisterAsync(stop);
            var run = worker.RunAsync(tools, stop);
            await WaitAsync(() => endpoint.Events.Any(e => e.Text == "sleeping\n"), "the task to run");
            return new Running(run, client);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    private static async Task WaitAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"timed out waiting for {what}");
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task Worker_RunsTheBuildAndReportsEveryEventOnce_WhenAnswersAreLost()
    {
        using var endpoint = new ProtocolEndpoint(h.Sh("count", "for i in $(seq 1 40); do echo line $i; sleep 0.02; done; echo the secret is hunter2"), ["hunter2"])
        {
            LoseEveryNthEventsAnswer = 3,
        };
        var (worker, tools, client) = NewWorker(endpoint);
        using var _ = client;
        using var stop = new CancellationTokenSource();

        (await worker.RegisterAsync(stop.Token)).ShouldBe("w1");
        var run = worker.RunAsync(tools, stop.Token);
        await WaitAsync(() => endpoint.End is not null, "the build's end");
        await stop.CancelAsync();
        await run;

        endpoint.Registration!.Tags.ShouldBe(["remote"]);
        endpoint.Registration.Runtime.ShouldBe("process");
        endpoint.End!.Status.ShouldBe(BuildStatus.Succeeded);
        endpoint.End.EventCount.ShouldBe(endpoint.Events.Count);
        var log = string.Concat(endpoint.Events.Where(e => e.Type == BuildEventType.Log).Select(e => e.Text));
        log.ShouldBe(string.Concat(Enumerable.Range(1, 40).Select(i => $"line {i}\n")) + "the secret is ((redacted))\n");
        endpoint.Events[0].Text.ShouldBe("started");
        endpoint.Events[^1].Text.ShouldBe("succeeded");
        Directory.EnumerateDirectories(tools.Directories.Builds).ShouldBeEmpty();
    }

    [Fact]
    public async Task Worker_AbortsItsBuildAndReportsIt_WhenStopped()
    {
        using var endpoint = new ProtocolEndpoint(h.Sh("sleep", "echo sleeping; sleep 300"));
        using var stop = new CancellationTokenSource();
        using var running = await RunUntilSleepingAsync(endpoint, stop.Token);

        await stop.CancelAsync();
        await running.Run.WaitAsync(TimeSpan.FromSeconds(30));

        endpoint.End!.Status.ShouldBe(BuildStatus.Aborted);
        endpoint.End.Reason.ShouldBe("worker w1 stopped");
        endpoint.Events[^1].Text.ShouldBe("aborted");
    }

    [Fact]
    public async Task Worker_AbortsTheBuild_WhenTheHeartbeatSaysSo()
    {
        using var endpoint = new ProtocolEndpoint(h.Sh("sleep", "echo sleeping; sleep 300"));
        using var stop = new CancellationTokenSource();
        using var running = await RunUntilSleepingAsync(endpoint, stop.Token);

        endpoint.AbortRequested = true;
        await WaitAsync(() => endpoint.End is not null, "the build's end");
        await stop.CancelAsync();
        await running.Run;

        endpoint.End!.Status.ShouldBe(BuildStatus.Aborted);
        endpoint.End.Reason.ShouldBeNull("the server keeps the reason of the abort it was asked for");
    }

    [Fact]
    public async Task Worker_StopsAndKillsItsBuild_WhenTheTokenIsRevoked()
    {
        var pidFile = Path.Combine(h.Scratch, "pid");
        using var endpoint = new ProtocolEndpoint(h.Sh("sleep", $"sleep 300 & echo $! > {pidFile}; echo sleeping; wait"));
        using var running = await RunUntilSleepingAsync(endpoint, CancellationToken.None);

        endpoint.Revoked = true;

        var refused = await Should.ThrowAsync<WorkerUnauthorizedException>(running.Run.WaitAsync(TimeSpan.FromSeconds(30)));
        refused.Message.ShouldContain("revoked");
        endpoint.End.ShouldBeNull();
        await Ferry.Engine.Tests.Running.Processes.ShouldBeGoneAsync(int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Register_KeepsTrying_WhileTheServerIsUnreachable()
    {
        var port = Ferry.Tests.LocalServers.LocalServerProcess.FreePort();
        using var client = new WorkerClient(new Uri($"http://127.0.0.1:{port}/"), "worker-token");
        var worker = new RemoteWorker(client, Options, NullLogger<RemoteWorker>.Instance);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(2));

        await Should.ThrowAsync<OperationCanceledException>(worker.RegisterAsync(stop.Token));
        worker.Name.ShouldBe("");
    }
}
