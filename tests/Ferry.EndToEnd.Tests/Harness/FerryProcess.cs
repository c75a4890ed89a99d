using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Ferry.EndToEnd.Tests.Harness;

/// <summary>
/// The real `ferry` executable run as a child process (<c>dotnet ferry.dll VERB …</c>) with a temporary directory of
/// its own, for <see cref="FerryServer"/> (its data) and <see cref="FerryWorker"/> (its work directory). It gathers
/// the process's output and error lines into one log, can be started again on the same directory, stopped with
/// SIGTERM or killed with SIGKILL; disposing it kills what still runs and deletes the directory.
/// </summary>
internal sealed class FerryProcess : IAsyncDisposable
{
    /// <summary>The `ferry` CLI built next to the tests.</summary>
    public static readonly string FerryDll = Path.Combine(AppContext.BaseDirectory, "ferry.dll");

    private readonly StringBuilder log = new();
    private Process? process;

    /// <param name="directoryPrefix">The name the temporary directory starts with (<c>ferry-e2e-data-</c>).</param>
    public FerryProcess(string directoryPrefix)
    {
        Directory = System.IO.Directory.CreateTempSubdirectory(directoryPrefix).FullName;
    }

    public string Directory { get; }

    /// <summary>Every line the process wrote, across its starts unless <see cref="ClearLog"/> was called.</summary>
    public string Log
    {
        get { lock (log) { return log.ToString(); } }
    }

    /// <summary>Whether it was started and has not exited.</summary>
    public bool IsRunning => process is { HasExited: false };

    /// <summary>Whether it was started and has exited.</summary>
    public bool HasExited => process is { HasExited: true };

    public int ExitCode => process!.ExitCode;

    public void ClearLog()
    {
        lock (log)
            log.Clear();
    }

    /// <summary>Starts <c>ferry</c> with <paramref name="arguments"/> (the verb first), with <paramref name="environment"/> added to its own.</summary>
    public void Start(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(FerryDll);
        foreach (var arg in arguments)
            info.ArgumentList.Add(arg);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            info.Environment[name] = value;
        process = Process.Start(info) ?? throw new InvalidOperationException($"could not start ferry {info.ArgumentList[1]}");
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>Kills it as a crash would (SIGKILL): no shutdown code runs, its children stay.</summary>
    public async Task KillAsync()
    {
        if (process is { HasExited: false })
        {
            process.Kill(entireProcessTree: false);
            await process.WaitForExitAsync();
        }
    }

    /// <summary>Sends it SIGTERM, as systemd or Ctrl-C would, and returns at once.</summary>
    public async Task TerminateAsync()
    {
        if (process is not { HasExited: false } running)
            return;
        using var kill = Process.Start("kill", ["-TERM", running.Id.ToString(CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
    }

    /// <summary>Waits for it to exit; false when it still runs after <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process!.WaitForExitAsync(deadline.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
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
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // best effort: a crashed build's process may still hold a file
        }
    }
}
