using System.Diagnostics;

namespace Ferry.Engine.Processes;

/// <summary>
/// Runs every child process of the server (tasks, resource types' scripts, git): in its own process group with
/// only the environment it is given, its output read as it comes. When it ends, is aborted or times out (both
/// arrive as cancellation), its whole group is killed, so nothing it started lives on; when the server dies, the
/// kernel kills it (<see cref="ProcessLauncher"/>) and the next start kills what it started (<see cref="ProcessGroupRecord"/>).
/// </summary>
public sealed class ProcessRunner
{
    private const int StderrTailLines = 20;
    private readonly ProcessGroupRecord? _record;

    /// <summary>A runner that records nothing: for tests and tools that are no server.</summary>
    public ProcessRunner()
    {
    }

    /// <param name="recordDirectory">Where the running groups are recorded (<see cref="Pipelines.EngineDirectories.Processes"/>).</param>
    public ProcessRunner(string recordDirectory) => _record = new ProcessGroupRecord(recordDirectory);

    /// <summary>
    /// Kills the process groups a server that is gone left running (recorded in <paramref name="recordDirectory"/>);
    /// returns how many there were. Call it at start, before the runner starts anything.
    /// </summary>
    public static int ReapLeftovers(string recordDirectory) => ProcessGroupRecord.ReapLeftovers(recordDirectory);

    /// <summary>Runs to the end and returns the exit status (128 + n when killed by signal n); on cancellation kills the group and throws.</summary>
    public async Task<int> RunAsync(ProcessSpec spec, ProcessOutput output, CancellationToken cancellation)
    {
        cancellation.ThrowIfCancellationRequested();
        using var process = new Process { StartInfo = ProcessLauncher.StartInfo(spec) };
        await ProcessLauncher.StartAsync(process);
        var group = process.Id;
        try
        {
            _record?.Add(group);
            var reading = Task.WhenAll(
                Task.Run(() => ReadAsync(output.Stdout, process.StandardOutput.BaseStream), CancellationToken.None),
                Task.Run(() => ReadAsync(output.Stderr, process.StandardError.BaseStream), CancellationToken.None),
                FeedAsync(process.StandardInput, spec.Stdin));
            try
            {
                await process.WaitForExitAsync(cancellation);
            }
            catch (OperationCanceledException)
            {
                Kill(process, group);
                await process.WaitForExitAsync(CancellationToken.None);
                await DrainAsync(process, reading, spec.DrainTimeout);
                throw;
            }
            // Whatever it left running in the background goes with it (and lets go of the pipes).
            ProcessGroup.Kill(group);
            await DrainAsync(process, reading, spec.DrainTimeout);
            return process.ExitCode;
        }
        catch when (!process.HasExited)
        {
            // It could not be recorded or read: it must not run on unwatched.
            Kill(process, group);
            throw;
        }
        finally
        {
            _record?.Remove(group);
        }
    }

    /// <summary>Runs to the end keeping stdout as text (past <paramref name="maxStdoutChars"/> read and dropped) and the last lines of stderr.</summary>
    public async Task<CapturedRun> CaptureAsync(ProcessSpec spec, Action<string>? onStderrLine, int maxStdoutChars, CancellationToken cancellation)
    {
        var stdout = new TextCapture(maxStdoutChars);
        var stderr = new LineTail(onStderrLine, StderrTailLines);
        var exitCode = await RunAsync(spec, new ProcessOutput(stdout.ReadAsync, stderr.ReadAsync), cancellation);
        return new CapturedRun(exitCode, stdout.Text, stderr.Tail, stdout.Truncated);
    }

    private static void Kill(Process process, int group)
    {
        try
        {
            // First the tree while it is whole: it also finds children that left the group (their own setsid).
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        ProcessGroup.Kill(group);
    }

    private static async Task ReadAsync(Func<Stream, Task> reader, Stream stream)
    {
        try
        {
            await reader(stream);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // The pipe was closed under the reader (see DrainAsync): nothing more to read.
        }
    }

    private static async Task FeedAsync(StreamWriter stdin, string? text)
    {
        try
        {
            if (text is not null)
            {
                await stdin.WriteAsync(text.AsMemory(), CancellationToken.None);
            }
            stdin.Close();
        }
        catch (IOException)
        {
            // It exited (or was killed) without reading its input; its exit status tells what happened.
        }
    }

    private static async Task DrainAsync(Process process, Task reading, TimeSpan timeout)
    {
        if (await Task.WhenAny(reading, Task.Delay(timeout)) != reading)
        {
            // A process left the group (its own setsid) and holds the pipes: stop reading.
            process.StandardOutput.Close();
            process.StandardError.Close();
            if (await Task.WhenAny(reading, Task.Delay(timeout)) != reading)
            {
                return;
            }
        }
        // A reader that failed (a log that could not be stored) fails the run.
        await reading;
    }
}
