using System.CommandLine;
using System.Runtime.InteropServices;
using Ferry.Engine.Containers;
using Ferry.Engine.Processes;
using Ferry.Engine.Resources;
using Ferry.Engine.Running;
using Ferry.Engine.Workers;
using Microsoft.Extensions.Logging;

namespace Ferry.Cli.Workers;

/// <summary>
/// <c>ferry worker --url URL --token TOKEN [--tag T]… [--runtime auto|process|container] [--work-dir DIR] [--capacity N]</c>:
/// runs builds for the servers on this machine (<see cref="RemoteWorker"/>) until SIGTERM or Ctrl-C, which abort
/// its running builds, report them and exit 0. A refused token exits 1.
/// </summary>
internal static class WorkerCommand
{
    public static Command Create()
    {
        var url = new Option<string?>("--url") { Description = "The Ferry server (default: FERRY_URL)" };
        var token = new Option<string?>("--token")
        {
            Description = "The worker token, from ferry token create --worker NAME (default: FERRY_TOKEN, which other users cannot read in the process list)",
        };
        var tags = new Option<string[]>("--tag")
        {
            Description = "A tag of this worker (repeat for more): it runs the builds whose steps' tags it all has; an untagged worker runs untagged builds",
            AllowMultipleArgumentsPerToken = false,
        };
        var runtime = new Option<RuntimeKind>("--runtime")
        {
            Description = "Where tasks that name an image and resource types that are images run: auto (containers when podman works, else processes), container or process",
            DefaultValueFactory = _ => RuntimeKind.Auto,
        };
        var workDir = new Option<string?>("--work-dir")
        {
            Description = "The worker's directory: builds' work roots, resource caches (default: ~/.local/state/ferry-worker/NAME, NAME from the token)",
        };
        var capacity = new Option<int>("--capacity") { Description = "How many builds run at once", DefaultValueFactory = _ => 2 };
        var command = new Command("worker", "Run builds for a Ferry server on this machine: register, claim builds that fit the tags, stream their events back")
        {
            url, token, tags, runtime, workDir, capacity,
        };
        command.SetAction((parse, cancellation) => RunAsync(new Given(
            parse.GetValue(url) ?? Environment.GetEnvironmentVariable("FERRY_URL"),
            parse.GetValue(token) ?? Environment.GetEnvironmentVariable("FERRY_TOKEN"),
            parse.GetValue(tags) ?? [],
            parse.GetValue(runtime),
            parse.GetValue(workDir),
            parse.GetValue(capacity)), parse.InvocationConfiguration.Error, cancellation));
        return command;
    }

    private sealed record Given(string? Url, string? Token, string[] Tags, RuntimeKind Runtime, string? WorkDir, int Capacity);

    private static async Task<int> RunAsync(Given given, TextWriter error, CancellationToken cancellation)
    {
        if (string.IsNullOrWhiteSpace(given.Url) || !Uri.TryCreate(given.Url.Trim(), UriKind.Absolute, out var server) || (server.Scheme != "http" && server.Scheme != "https"))
        {
            await error.WriteLineAsync(string.IsNullOrWhiteSpace(given.Url)
                ? "ferry worker: give the server with --url URL (or FERRY_URL)"
                : $"ferry worker: --url '{given.Url}' is not an http:// or https:// URL");
            return ExitCodes.Usage;
        }
        if (string.IsNullOrWhiteSpace(given.Token))
        {
            await error.WriteLineAsync("ferry worker: give the worker token with --token TOKEN (or FERRY_TOKEN); make one with: ferry token create --worker NAME");
            return ExitCodes.Usage;
        }
        if (given.Capacity < 1)
        {
            await error.WriteLineAsync($"ferry worker: --capacity {given.Capacity}: give at least 1");
            return ExitCodes.Usage;
        }
        if (given.Tags.FirstOrDefault(t => string.IsNullOrWhiteSpace(t) || t.Trim() != t) is { } badTag)
        {
            await error.WriteLineAsync($"ferry worker: --tag '{badTag}': a tag is a word without surrounding spaces");
            return ExitCodes.Usage;
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop(stop));
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop(stop));
        using var logging = LoggerFactory.Create(b => b.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        }));
        var logger = logging.CreateLogger("ferry.worker");
        try
        {
            var probe = await RuntimeChoice.ProbeAsync(given.Runtime);
            if (given.Runtime == RuntimeKind.Container && probe is { Works: false })
                throw new ContainerException($"--runtime container: {probe.Description}", 1);
            var containers = given.Runtime != RuntimeKind.Process && probe is { Works: true };
            var options = new RemoteWorkerOptions([.. given.Tags.Distinct(StringComparer.Ordinal)], containers ? "container" : "process", given.Capacity,
                typeof(RemoteWorker).Assembly.GetName().Version?.ToString(3) ?? "0.0.0");
            using var client = new WorkerClient(server, given.Token.Trim());
            var worker = new RemoteWorker(client, options, logging.CreateLogger<RemoteWorker>());
            logger.LogInformation("registering with {Server}", server);
            string name;
            try
            {
                name = await worker.RegisterAsync(stop.Token);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return ExitCodes.Ok;
            }
            using var directory = WorkerDirectory.Open(given.WorkDir ?? WorkerDirectory.Default(name));
            var directories = directory.Directories;
            if (directory.ReapedProcessGroups > 0 || directory.RemovedBuilds > 0)
                logger.LogWarning("a worker that stopped without cleaning up left {Groups} process group(s) running (killed) and {Builds} build directories (removed)",
                    directory.ReapedProcessGroups, directory.RemovedBuilds);
            var processes = new ProcessRunner(directories.Processes);
            using var choice = RuntimeChoice.Create(given.Runtime, probe, processes, directories.Root, directories.Containers);
            if (choice.Containers is not null
                && await ContainerRuntime.ReapLeftoversAsync(new ProcessRunner(), directories.Containers, stop.Token) is var removed and > 0)
                logger.LogWarning("removed {Count} container(s) a stopped worker left", removed);
            var tools = new WorkerTools(
                new BuildRunner(new RunnerOptions { Processes = processes, Containers = choice.Containers }),
                ResourceTypeRegistry.WithBuiltIns(TimeProvider.System, processes).WithContainers(choice.Containers),
                directories);
            logger.LogInformation("worker {Name} runs builds in {Directory}; tasks run in {Runtime}", name, directories.Root, choice.Description);
            await worker.RunAsync(tools, stop.Token);
            logger.LogInformation("worker {Name} stopped", name);
            return ExitCodes.Ok;
        }
        catch (WorkerUnauthorizedException e)
        {
            logging.Dispose();
            await error.WriteLineAsync($"ferry worker: {e.Message}");
            return ExitCodes.Failed;
        }
        catch (Exception e) when (e is WorkerRefusedException or ContainerException or IOException or UnauthorizedAccessException)
        {
            logging.Dispose();
            await error.WriteLineAsync($"ferry worker: {e.Message}");
            return ExitCodes.Failed;
        }
    }

    /// <summary>
    /// The first SIGTERM or Ctrl-C stops the worker gracefully (the process does not end at once); a second one ends
    /// it now, as an impatient operator means (its tasks die with it, and the servers end its builds as lost).
    /// </summary>
    private static Action<PosixSignalContext> Stop(CancellationTokenSource stop) => context =>
    {
        try
        {
            context.Cancel = !stop.IsCancellationRequested;
            stop.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // stopped already
        }
    };
}
