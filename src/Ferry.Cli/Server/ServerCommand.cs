using System.CommandLine;
using Ferry.Engine.Containers;
using Ferry.Server;
using Ferry.Storage;

namespace Ferry.Cli.Server;

/// <summary><c>ferry server [--data DIR] [--db CONN] [--listen URL] [--external-url URL] [--runtime auto|container|process]</c>: runs Ferry until SIGTERM or Ctrl-C.</summary>
internal static class ServerCommand
{
    public static Command Create()
    {
        var data = new Option<string?>("--data")
        {
            Description = $"The data directory: SQLite file, build directories (default: FERRY_DATA, else ./{ServerOptions.DefaultDataDirectory})",
        };
        var db = new Option<string?>("--db")
        {
            Description = "A PostgreSQL connection string or postgres:// URL (default: FERRY_DB, else SQLite under --data)",
        };
        var listen = new Option<string?>("--listen")
        {
            Description = $"The URL to listen on (default: FERRY_LISTEN, else {ServerOptions.DefaultListen})",
        };
        var externalUrl = new Option<string?>("--external-url")
        {
            Description = "The URL users and webhooks reach this server at, when it is not --listen (a proxy, a DNS name); " +
                "requests naming another host are refused (default: FERRY_EXTERNAL_URL)",
        };
        var noExample = new Option<bool>("--no-example")
        {
            Description = "Do not set up the hello example pipeline on a first start (an empty store)",
        };
        var insecure = new Option<bool>("--insecure-no-auth")
        {
            Description = "Let everyone in without a token, as an owner: only for a throw-away server on your own machine (a warning at start and on every page)",
        };
        var runtime = new Option<RuntimeKind>("--runtime")
        {
            Description = "Where tasks that name an image and resource types that are images run: auto (containers when podman works, else processes), container or process",
            DefaultValueFactory = _ => RuntimeKind.Auto,
        };
        var imageTasksOnHost = new Option<bool>("--allow-image-tasks-on-host")
        {
            Description = "Without containers, run a task that names an image on the host (with a warning) instead of failing it",
        };
        var masterKeyFile = new Option<string?>("--master-key-file")
        {
            Description = "A file with the master key (32 random bytes in base64; default: FERRY_MASTER_KEY holds the key itself): " +
                "the secrets key and the UI's keys then live in the database, wrapped by it, shared by every node given the same key",
        };
        var nodeName = new Option<string?>("--node-name")
        {
            Description = "This node's name among the servers sharing a database (default: the host name); its id adds a random suffix",
        };
        var noEmbeddedWorker = new Option<bool>("--no-embedded-worker")
        {
            Description = "Run no builds on this server: remote workers (ferry worker) run them all",
        };
        var workerTimeout = new Option<int>("--worker-timeout")
        {
            Description = "Seconds without a heartbeat after which a remote worker is lost and its builds error",
            DefaultValueFactory = _ => (int)Ferry.Engine.Nodes.NodeLoopOptions.DefaultWorkerTimeout.TotalSeconds,
        };
        var command = new Command("server", "Run the Ferry server: the API and the loops that check, schedule and run")
        {
            data, db, listen, externalUrl, noExample, insecure, runtime, imageTasksOnHost, masterKeyFile, nodeName, noEmbeddedWorker, workerTimeout,
        };
        command.SetAction(async (parse, cancellation) =>
        {
            var options = ServerOptions.From(parse.GetValue(data), parse.GetValue(db), parse.GetValue(listen), parse.GetValue(externalUrl)) with
            {
                SeedExample = !parse.GetValue(noExample),
                InsecureNoAuth = parse.GetValue(insecure),
                Runtime = parse.GetValue(runtime),
                AllowImageTasksOnHost = parse.GetValue(imageTasksOnHost),
                MasterKeyFile = parse.GetValue(masterKeyFile),
                NodeName = parse.GetValue(nodeName) is { Length: > 0 } name ? name : Environment.MachineName,
                EmbeddedWorker = !parse.GetValue(noEmbeddedWorker),
                WorkerTimeout = TimeSpan.FromSeconds(parse.GetValue(workerTimeout)),
            };
            var error = parse.InvocationConfiguration.Error;
            if (options.WorkerTimeout <= TimeSpan.Zero)
            {
                await error.WriteLineAsync($"ferry server: --worker-timeout {parse.GetValue(workerTimeout)} must be a number of seconds above 0");
                return ExitCodes.Usage;
            }
            if (!Uri.TryCreate(options.Listen.Split(';')[0].Trim(), UriKind.Absolute, out var url) || (url.Scheme != "http" && url.Scheme != "https"))
            {
                await error.WriteLineAsync($"ferry server: --listen '{options.Listen}' is not an http:// URL");
                return ExitCodes.Usage;
            }
            if (options.ExternalUrl is { } external
                && (!Uri.TryCreate(external, UriKind.Absolute, out var externalUri) || (externalUri.Scheme != "http" && externalUri.Scheme != "https")))
            {
                await error.WriteLineAsync($"ferry server: --external-url '{external}' is not an http:// or https:// URL");
                return ExitCodes.Usage;
            }
            // Before the data directory is touched: a port in use then leaves no new store behind.
            if (ListenProbe.InUse(url))
            {
                await error.WriteLineAsync($"ferry server: cannot listen on {options.Listen}: the address is already in use");
                return ExitCodes.Failed;
            }
            try
            {
                await using var app = await FerryServer.BuildAsync(options, cancellationToken: cancellation);
                await app.RunAsync();
                return ExitCodes.Ok;
            }
            catch (ContainerException e)
            {
                await error.WriteLineAsync($"ferry server: {e.Message}");
                return ExitCodes.Failed;
            }
            catch (StoreException e)
            {
                await error.WriteLineAsync($"ferry server: {e.Message}");
                return ExitCodes.Failed;
            }
            catch (IOException e) when (e.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException || e.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
            {
                await error.WriteLineAsync($"ferry server: cannot listen on {options.Listen}: the address is already in use");
                return ExitCodes.Failed;
            }
        });
        return command;
    }
}
