using System.Diagnostics;
using System.Text;

namespace Ferry.EndToEnd.Tests.Harness;

/// <summary>
/// A real `ferry worker` process for a <see cref="FerryServer"/>, with a work directory of its own that outlives a
/// kill (so a restart finds what the killed worker left). Stopped with SIGTERM as a service manager would, or killed
/// with SIGKILL.
/// </summary>
internal sealed class FerryWorker : IAsyncDisposable
{
    private static readonly string FerryDll = Path.Combine(AppContext.BaseDirectory, "ferry.dll");
    private readonly StringBuilder log = new();
    private readonly FerryServer _server;
    private readonly string _token;
    private readonly IReadOnlyList<string> _arguments;
    private Process? process;

    private FerryWorker(FerryServer server, string token, IReadOnlyList<string> arguments)
    {
        _server = server;
        _token = token;
        _arguments = arguments;
        WorkDirectory = Directory.CreateTempSubdirectory("ferry-e2e-worker-").FullName;
    }

    public string WorkDirectory { get; }

    public string Log
    {
        get { lock (log) { return log.ToString(); } }
    }

    public bool HasExited => process is { HasExited: true };

    public int ExitCode => process!.ExitCode;

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
        lock (log)
            log.Clear();
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { FerryDll, "worker", "--url", _server.Url, "--work-dir", WorkDirectory, "--runtime", "process" }.Concat(_arguments))
            info.ArgumentList.Add(arg);
        info.Environment["FERRY_TOKEN"] = _token;
        process = Process.Start(info) ?? throw new InvalidOperationException("could not start ferry worker");
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
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
        using var kill = Process.Start("kill", ["-TERM", process!.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
        return await WaitForExitAsync(timeout ?? TimeSpan.FromSeconds(60));
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process!.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"the worker did not exit within {timeout.TotalSeconds} s\n--- worker log\n{Log}");
        }
        return process.ExitCode;
    }

    /// <summary>Kills the worker as a crash would (SIGKILL): no shutdown code runs, its tasks' children stay.</summary>
    public async Task KillAsync()
    {
        if (process is { HasExited: false })
        {
            process.Kill(entireProcessTree: false);
            await process.WaitForExitAsync();
        }
    }

    private void Append(string? line)
    {
        if (line is null)
            return;
        lock (log)
            log.AppendLine(line);
    }

    public async ValueTask DisposeAsync()
    {
        if (process is { HasExited: false })
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        process?.Dispose();
        try
        {
            Directory.Delete(WorkDirectory, recursive: true);
        }
        catch (IOException)
        {
            // best effort
        }
    }
}
