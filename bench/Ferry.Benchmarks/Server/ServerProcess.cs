using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Ferry.Benchmarks.Server;

/// <summary>
/// A real `ferry server` process (the ferry.dll built next to this program) on a free loopback port with a
/// throw-away data directory (or one a stopped server left). Stopped by its own pid on dispose.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private static readonly string FerryDll = Path.Combine(AppContext.BaseDirectory, "ferry.dll");
    private readonly StringBuilder _log = new();
    private readonly Process _process;

    public string DataDirectory { get; }

    public string Url { get; }

    public int Pid => _process.Id;

    /// <summary>The token of <c>admin</c>, the owner the server's first start made (DATA/admin-token).</summary>
    public string AdminToken { get; private set; } = "";

    public string Log
    {
        get { lock (_log) { return _log.ToString(); } }
    }

    private ServerProcess(Process process, string dataDirectory, string url)
    {
        _process = process;
        DataDirectory = dataDirectory;
        Url = url;
    }

    /// <param name="dataDirectory">The data directory of a server <see cref="StopAsync">stopped</see> before; a new one when null.</param>
    /// <param name="arguments">More options for <c>ferry server</c> (<c>--db</c>, <c>--master-key-file</c>, <c>--node-name</c>).</param>
    /// <param name="adminToken">
    /// The admin token of the store, for a node joining a database another node set up first (it writes no token file).
    /// </param>
    public static async Task<ServerProcess> StartAsync(string? dataDirectory = null, IReadOnlyList<string>? arguments = null, string? adminToken = null)
    {
        if (!File.Exists(FerryDll))
            throw new FileNotFoundException($"starting ferry server: {FerryDll} is missing; build bench/Ferry.Benchmarks (it references src/Ferry.Cli)");
        var data = dataDirectory ?? Directory.CreateTempSubdirectory("ferry-bench-data-").FullName;
        var url = $"http://127.0.0.1:{FreePort()}";
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { FerryDll, "server", "--data", data, "--listen", url, "--no-example" }.Concat(arguments ?? []))
            info.ArgumentList.Add(arg);
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start ferry server");
        var server = new ServerProcess(process, data, url) { AdminToken = adminToken ?? "" };
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await server.WaitUntilAnsweringAsync();
        return server;
    }

    /// <summary>VmRSS of the server process from /proc, in MB.</summary>
    public double ResidentMegabytes() => Status("VmRSS");

    /// <summary>VmHWM: the most the server process had resident since it started or <see cref="ResetPeakResident"/>, in MB.</summary>
    public double PeakResidentMegabytes() => Status("VmHWM");

    /// <summary>Starts <see cref="PeakResidentMegabytes"/> again from the current resident size (Linux: 5 to clear_refs).</summary>
    public void ResetPeakResident() => File.WriteAllText($"/proc/{Pid}/clear_refs", "5");

    private double Status(string field)
    {
        foreach (var line in File.ReadLines($"/proc/{Pid}/status"))
        {
            if (!line.StartsWith(field + ":", StringComparison.Ordinal))
                continue;
            var kb = long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            return kb / 1024.0;
        }
        throw new InvalidOperationException($"no {field} in /proc/{Pid}/status");
    }

    private async Task WaitUntilAnsweringAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"ferry server exited with {_process.ExitCode}:\n{Log}");
            try
            {
                using var response = await http.GetAsync($"{Url}/api/v1/info");
                if (response.IsSuccessStatusCode)
                {
                    if (AdminToken.Length == 0)
                        AdminToken = (await File.ReadAllTextAsync(Path.Combine(DataDirectory, "admin-token"))).Trim();
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // not listening yet
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"ferry server did not answer within 60 s:\n{Log}");
    }

    private void Append(string? line)
    {
        if (line is null)
            return;
        lock (_log)
        {
            _log.AppendLine(line);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Stops the server and keeps its data directory, for the store to be opened or a server started on it again.</summary>
    public async Task StopAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process.Dispose();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // best effort: the temp folder is cleaned by the OS later
        }
    }
}
