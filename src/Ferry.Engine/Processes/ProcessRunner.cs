using System.Diagnostics;
using System.Text;

namespace Ferry.Engine.Processes;

/// <summary>
/// Runs every child process of the server (tasks, resource types' scripts, git): in its own process group with
/// only the environment it is given, its output read as it comes. When it ends, is aborted or times out (both
/// arrive as cancellation), its whole group is killed, so nothing it started lives on; when the server dies, its
/// watcher kills the group (<see cref="GroupWatch"/>) and the next start kills what it started (<see cref="ProcessGroupRecord"/>).
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
    /// <remarks>A command that is not found or may not be run ends as a shell reports it: 127 or 126, and why on stderr.</remarks>
    public async Task<int> RunAsync(ProcessSpec spec, ProcessOutput output, CancellationToken cancellation)
    {
        cancellation.ThrowIfCancellationRequested();
        ChildProcess process;
        try
        {
            process = ProcessLauncher.Start(spec);
        }
        catch (CommandNotRunException e)
        {
            await Task.WhenAll(output.Stdout(Stream.Null), output.Stderr(new MemoryStream(Encoding.UTF8.GetBytes(e.Message + "\n"))));
            return e.ExitStatus;
        }
        var group = process.Pid;
        var ended = false;
        try
        {
            GroupWatch.Add(group);
            _record?.Add(group);
            // The readers run inline up to their first read, which waits on the pipe: no thread-pool hop per reader.
            var reading = Task.WhenAll(
                ReadAsync(output.Stdout, process.Stdout),
                ReadAsync(output.Stderr, process.Stderr),
                FeedAsync(process.Stdin, spec.Stdin));
            try
            {
                await process.Exited.WaitAsync(cancellation);
            }
            catch (OperationCanceledException)
            {
                Kill(process);
                await process.Exited;
                await DrainAsync(process, reading, spec.DrainTimeout);
                throw;
            }
            // Whatever it left running in the background goes with it (and lets go of the pipes).
            ProcessGroup.Kill(group);
            await DrainAsync(process, reading, spec.DrainTimeout);
            ended = true;
        }
        catch when (!process.HasExited)
        {
            // It could not be recorded or read: it must not run on unwatched.
            Kill(process);
            await process.Exited;
            throw;
        }
        finally
        {
            // The leader stays a zombie until reaped below: its group's id is not reused before it is forgotten here.
            GroupWatch.Remove(group);
            _record?.Remove(group);
            if (!ended)
            {
                process.Dispose();
            }
        }
        using (process)
        {
            return process.Reap();
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

    private static void Kill(ChildProcess process)
    {
        try
        {
            // First the tree while it is whole: it also finds children that left the group (their own setsid).
            // The leader is not reaped yet, so its pid is still its own.
            using var leader = Process.GetProcessById(process.Pid);
            leader.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            // Already gone.
        }
        ProcessGroup.Kill(process.Pid);
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

    private static async Task DrainAsync(ChildProcess process, Task reading, TimeSpan timeout)
    {
        if (await Task.WhenAny(reading, Task.Delay(timeout)) != reading)
        {
            // A process left the group (its own setsid) and holds the pipes: stop reading.
            process.Stdout.Close();
            process.Stderr.Close();
            if (await Task.WhenAny(reading, Task.Delay(timeout)) != reading)
            {
                return;
            }
        }
        // A reader that failed (a log that could not be stored) fails the run.
        await reading;
    }
}
