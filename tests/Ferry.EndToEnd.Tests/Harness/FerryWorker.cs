namespace Ferry.EndToEnd.Tests.Harness;

/// <summary>
/// A real `ferry worker` process for a <see cref="FerryServer"/>, with a work directory of its own that outlives a
/// kill (so a restart finds what the killed worker left). Stopped with SIGTERM as a service manager would, or killed
/// with SIGKILL.
/// </summary>
internal sealed class FerryWorker : IAsyncDisposable
{
    private readonly FerryProcess _process = new("ferry-e2e-worker-");
    private readonly FerryServer _server;
    private readonly string _token;
    private readonly IReadOnlyList<string> _arguments;

    private FerryWorker(FerryServer server, string token, IReadOnlyList<string> arguments)
    {
        _server = server;
        _token = token;
        _arguments = arguments;
    }

    public string WorkDirectory => _process.Directory;

    public string Log => _process.Log;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>Makes a worker token as an owner (<c>POST /api/v1/tokens/workers</c>, what <c>ferry token create --worker NAME</c> calls).</summary>
    /// <returns>The token and its id (for <c>ferry token revoke ID</c>).</returns>
    public static async Task<(string Token, string Id)> CreateTokenAsync(FerryServer server, string name)
    {
        using var api = server.NewApi();
        using var response = await api.PostAsync("tokens/workers", new { worker = name });
        var text = await response.Content.ReadAsStringAsync();
        ((int)response.StatusCode).ShouldBe(201, text);
        var created = System.Text.Json.Nodes.JsonNode.Parse(text)!;
        return ((string)created["token"]!, ((long)created["id"]!).ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <param name="arguments">More options (<c>--tag remote</c>).</param>
    public static FerryWorker Start(FerryServer server, string token, params string[] arguments)
    {
        var worker = new FerryWorker(server, token, arguments);
        worker.StartAgain();
        return worker;
    }

    /// <summary>Starts the worker (again) on the same work directory; <see cref="Log"/> is then this run's.</summary>
    public void StartAgain()
    {
        _process.ClearLog();
        _process.Start(["worker", "--url", _server.Url, "--work-dir", WorkDirectory, "--runtime", "process", .. _arguments],
            new Dictionary<string, string> { ["FERRY_TOKEN"] = _token });
    }

    /// <summary>Waits until the worker's log shows <paramref name="text"/>.</summary>
    public async Task WaitForLogAsync(string text, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (!Log.Contains(text, StringComparison.Ordinal))
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"the worker's log did not show '{text}'\n--- worker log\n{Log}\n--- server log\n{_server.Log}");
            await Task.Delay(100);
        }
    }

    /// <summary>SIGTERM, as a service manager stops it; returns the exit code.</summary>
    public async Task<int> StopAsync(TimeSpan? timeout = null)
    {
        await _process.TerminateAsync();
        return await WaitForExitAsync(timeout ?? TimeSpan.FromSeconds(60));
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        if (!await _process.WaitForExitAsync(timeout))
            throw new TimeoutException($"the worker did not exit within {timeout.TotalSeconds} s\n--- worker log\n{Log}");
        return _process.ExitCode;
    }

    /// <summary>Kills the worker as a crash would (SIGKILL): no shutdown code runs, its tasks' children stay.</summary>
    public Task KillAsync() => _process.KillAsync();

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
