using Ferry.Tests.LocalServers;

namespace Ferry.EndToEnd.Tests.Harness;

/// <summary>
/// A real `ferry server` process on a free loopback port with its own data directory, and the real
/// `ferry` CLI pointed at it. It can be killed with SIGKILL and started again on the same data.
/// </summary>
internal sealed class FerryServer : IAsyncDisposable
{
    private readonly FerryProcess _process = new("ferry-e2e-data-");

    public string DataDirectory => _process.Directory;

    public string Url { get; }

    /// <summary>The token of <c>admin</c>, the owner the first start made (it wrote it to DATA/admin-token).</summary>
    public string AdminToken { get; private set; } = "";

    /// <summary>Where the CLI run by <see cref="CliAsync(string[])"/> keeps saved targets (XDG_CONFIG_HOME): never the user's.</summary>
    public string ConfigHome => Path.Combine(DataDirectory, "cli-config");

    public string Log => _process.Log;

    private readonly string? _database;
    private readonly bool _example;
    private readonly IReadOnlyList<string> _arguments;

    private FerryServer(int port, string? database, bool example, IReadOnlyList<string> arguments)
    {
        Url = $"http://127.0.0.1:{port}";
        _database = database;
        _example = example;
        _arguments = arguments;
    }

    /// <param name="database">A PostgreSQL connection string (<c>--db</c>); SQLite under the data directory when null.</param>
    /// <param name="example">Let the server set up the hello example on its first start, as a new user's does.</param>
    /// <param name="arguments">More options for <c>ferry server</c> (<c>--runtime process</c>).</param>
    public static async Task<FerryServer> StartAsync(string? database = null, bool example = false, params string[] arguments)
    {
        var server = new FerryServer(LocalServerProcess.FreePort(), database, example, arguments);
        await server.StartAgainAsync();
        return server;
    }

    /// <summary>
    /// Another node on the same PostgreSQL database as <paramref name="first"/>, with a data directory of its own; its
    /// admin is the one the first node made (the store had an owner already, so this node writes no token file).
    /// </summary>
    public static async Task<FerryServer> JoinAsync(FerryServer first, params string[] arguments)
    {
        var server = new FerryServer(LocalServerProcess.FreePort(),
            first._database ?? throw new InvalidOperationException("nodes share a PostgreSQL database; the first node has none"), false, arguments)
        {
            AdminToken = first.AdminToken,
        };
        await server.StartAgainAsync();
        return server;
    }

    /// <summary>Starts the server process (again) on the same data directory and port.</summary>
    public async Task StartAgainAsync()
    {
        List<string> arguments = ["server", "--data", DataDirectory, "--listen", Url, .. _arguments];
        if (!_example)
        {
            arguments.Add("--no-example");
        }
        if (_database is not null)
        {
            arguments.AddRange(["--db", _database]);
        }
        _process.Start(arguments);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"ferry server exited with {_process.ExitCode}:\n{Log}");
            }
            try
            {
                var response = await http.GetAsync($"{Url}/api/v1/info");
                if (response.IsSuccessStatusCode)
                {
                    // Written before the server listens, on the first start only; later starts keep it.
                    if (AdminToken.Length == 0)
                        AdminToken = (await File.ReadAllTextAsync(Path.Combine(DataDirectory, "admin-token"))).Trim();
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            catch (TaskCanceledException)
            {
                // not answering yet
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"ferry server did not answer within 30 s:\n{Log}");
    }

    /// <summary>Kills the server as a crash would (SIGKILL): no shutdown code runs.</summary>
    public Task KillAsync() => _process.KillAsync();

    /// <summary>Sends the server SIGTERM, as systemd or Ctrl-C would, and returns at once.</summary>
    public Task TerminateAsync() => _process.TerminateAsync();

    /// <summary>Stops the server with SIGTERM and waits for it to exit; its exit code.</summary>
    public async Task<int> StopAsync(TimeSpan timeout)
    {
        if (!_process.IsRunning)
            return _process.HasExited ? _process.ExitCode : 0;
        await TerminateAsync();
        if (!await _process.WaitForExitAsync(timeout))
            throw new TimeoutException($"ferry server did not stop within {timeout.TotalSeconds} s of SIGTERM:\n{Log}");
        return _process.ExitCode;
    }

    /// <summary>Runs the real `ferry` CLI against this server, signed in as <c>admin</c> (FERRY_TOKEN).</summary>
    public Task<Shell.Result> CliAsync(params string[] args) => CliAsync(TimeSpan.FromSeconds(60), args);

    public Task<Shell.Result> CliAsync(TimeSpan timeout, params string[] args) => CliAsAsync(AdminToken, timeout, args);

    /// <summary>Runs the CLI with FERRY_TOKEN <paramref name="token"/> (none when null: then only what <c>ferry login</c> saved counts).</summary>
    public Task<Shell.Result> CliAsAsync(string? token, TimeSpan timeout, params string[] args)
    {
        var environment = new Dictionary<string, string> { ["FERRY_URL"] = Url, ["XDG_CONFIG_HOME"] = ConfigHome, ["FERRY_TOKEN"] = token ?? "" };
        return Shell.RunAsync("dotnet", [FerryProcess.FerryDll, .. args], environment: environment, timeout: timeout);
    }

    /// <summary>A client of the API signed in as <c>admin</c>.</summary>
    public FerryApi NewApi() => new(Url, AdminToken);

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
