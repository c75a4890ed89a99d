using System.Diagnostics;
using Ferry.Core.Builds;
using Ferry.Engine.Running;

namespace Ferry.Engine.Workers;

/// <summary>What to run: the command, its working directory and its entire environment.</summary>
internal sealed record ProcessSpec(string Path, IReadOnlyList<string> Args, string WorkingDirectory, IReadOnlyDictionary<string, string> Environment);

/// <summary>
/// The <c>process</c> runtime: a task is a child process in its own process group with only the environment it
/// is given. When it ends, is aborted or times out, the whole group is killed, so nothing it started lives on.
/// </summary>
internal static class ProcessRuntime
{
    /// <summary>Runs to the end and returns the exit status; on cancellation kills the group and throws.</summary>
    public static async Task<int> RunAsync(ProcessSpec spec, StepLog log, TimeSpan drainTimeout, CancellationToken cancellation)
    {
        var info = new ProcessStartInfo(ProcessGroup.Setsid)
        {
            WorkingDirectory = spec.WorkingDirectory,
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.ArgumentList.Add("--");
        info.ArgumentList.Add(spec.Path);
        foreach (var arg in spec.Args)
        {
            info.ArgumentList.Add(arg);
        }
        info.Environment.Clear();
        foreach (var (name, value) in spec.Environment)
        {
            info.Environment[name] = value;
        }

        using var process = Process.Start(info) ?? throw new StepException($"could not start '{spec.Path}'");
        // setsid execs in place (the child is not a group leader), so the pid is the group id.
        var group = process.Id;
        process.StandardInput.Close();
        var pumps = Task.WhenAll(
            Task.Run(() => log.PumpAsync(process.StandardOutput.BaseStream, LogStream.Stdout), CancellationToken.None),
            Task.Run(() => log.PumpAsync(process.StandardError.BaseStream, LogStream.Stderr), CancellationToken.None));
        try
        {
            await process.WaitForExitAsync(cancellation);
        }
        catch (OperationCanceledException)
        {
            ProcessGroup.Kill(group);
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }
            await process.WaitForExitAsync(CancellationToken.None);
            await DrainAsync(process, pumps, drainTimeout);
            throw;
        }
        // Whatever the task left running in the background goes with it (and lets go of the pipes).
        ProcessGroup.Kill(group);
        await DrainAsync(process, pumps, drainTimeout);
        return process.ExitCode;
    }

    private static async Task DrainAsync(Process process, Task pumps, TimeSpan timeout)
    {
        if (await Task.WhenAny(pumps, Task.Delay(timeout)) != pumps)
        {
            // A process left the group (its own setsid) and holds the pipes: stop reading.
            process.StandardOutput.Close();
            process.StandardError.Close();
            await Task.WhenAny(pumps, Task.Delay(timeout));
        }
    }
}
