using System.Net;
using System.Net.Sockets;
using Ferry.Server;
using Ferry.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Ferry.Cli.Tests.Verbs;

/// <summary>A real Ferry server in this process on a free port of 127.0.0.1, and a way to run <c>ferry</c> verbs against it.</summary>
public sealed class CliServer : IAsyncLifetime
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "ferry-cli-tests-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly bool _runLoops;
    private WebApplication? _app;

    /// <summary>The API alone, as the verb tests' shared server: builds made by hand stay as they were made.</summary>
    public CliServer()
    {
    }

    /// <summary>With <paramref name="runLoops"/>, a whole server: it checks, schedules, promotes and runs builds.</summary>
    internal CliServer(bool runLoops) => _runLoops = runLoops;

    public string Url { get; private set; } = "";

    /// <summary>The server's data directory (its SQLite store), for verbs that work on the store directly.</summary>
    public string DataDirectory => _data;

    public IStore Store => _app!.Services.GetRequiredService<IStore>();

    public async Task InitializeAsync()
    {
        _app = await FerryServer.BuildAsync(new ServerOptions { DataDirectory = _data, Listen = "http://127.0.0.1:0", LogLevel = LogLevel.Warning, SeedExample = false, RunLoops = _runLoops, DrainTimeout = TimeSpan.Zero });
        await _app.StartAsync();
        Url = FerryServer.Addresses(_app).First();
        AdminToken = (await File.ReadAllTextAsync(Path.Combine(_data, "admin-token"))).Trim();
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
            // Left for the system's temp cleaning.
        }
    }

    /// <summary>The token of <c>admin</c>, the owner the server's first start made.</summary>
    public string AdminToken { get; private set; } = "";

    /// <summary>
    /// Runs <c>ferry ARGS --url URL</c> with standard input <paramref name="input"/> (closed when null), signed in as
    /// <c>admin</c> unless the test gave a token of its own (<see cref="Cli.WithTokenAsync"/>); saved targets go to a
    /// file of this server's, never the user's.
    /// </summary>
    public async Task<CliResult> RunAsync(string[] args, string? input = null, StringWriter? output = null)
    {
        Client.Targets.Use(TargetsFile);
        if (!Client.CliToken.IsGiven)
        {
            Client.CliToken.Use(AdminToken);
        }
        return await Cli.RunAsync([.. args, "--url", Url], input, output);
    }

    /// <summary>Where <c>ferry login</c> saves targets in these tests.</summary>
    public string TargetsFile => Path.Combine(_data, "cli-config", "ferry", "targets.json");

    public async Task<string> WriteFileAsync(string name, string content)
    {
        Directory.CreateDirectory(_data);
        var path = Path.Combine(_data, name);
        await File.WriteAllTextAsync(path, content);
        return path;
    }
}

public sealed record CliResult(int Exit, string Out, string Err);

internal static class Cli
{
    /// <param name="output">Where the verb writes, for a test that reads it while the verb runs.</param>
    public static async Task<CliResult> RunAsync(string[] args, string? input = null, StringWriter? output = null)
    {
        output ??= new StringWriter();
        var error = new StringWriter();
        var exit = await FerryCommand.RunAsync(args, output, error, new StringReader(input ?? ""));
        return new CliResult(exit, output.ToString(), error.ToString());
    }

    /// <summary>Runs as if FERRY_TOKEN were <paramref name="token"/> (unset when null), without touching the process's variables.</summary>
    public static async Task<CliResult> WithTokenAsync(string? token, Func<Task<CliResult>> run)
    {
        // Set in this async method, the token flows into run() and is gone once it returns.
        Client.CliToken.Use(token);
        return await run();
    }

    /// <summary>Runs with saved targets in <paramref name="file"/> and no token given in-process: what a user's shell does.</summary>
    public static async Task<CliResult> WithTargetsAsync(string file, Func<Task<CliResult>> run)
    {
        Client.Targets.Use(file);
        return await run();
    }

    /// <summary>A port on 127.0.0.1 that nothing listens on (bound, then released).</summary>
    public static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}

[CollectionDefinition(Name)]
public sealed class CliServerCollection : ICollectionFixture<CliServer>
{
    public const string Name = "cli-server";
}
