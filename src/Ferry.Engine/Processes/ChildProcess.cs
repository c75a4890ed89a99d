using System.Runtime.InteropServices;

namespace Ferry.Engine.Processes;

/// <summary>
/// A child <see cref="ProcessLauncher"/> started: its pipes, and its end. It stays a zombie after it exits until
/// <see cref="Reap"/>, so its pid, and with it its process group's id, cannot be reused while the group is killed.
/// </summary>
internal sealed class ChildProcess : IDisposable
{
    private int reaped;

    public ChildProcess(int pid, StreamWriter stdin, Stream stdout, Stream stderr)
    {
        Pid = pid;
        Stdin = stdin;
        Stdout = stdout;
        Stderr = stderr;
        Exited = ChildIo.WhenExited(pid);
    }

    /// <summary>Its pid, also its process group's and session's id.</summary>
    public int Pid { get; }

    public StreamWriter Stdin { get; }

    public Stream Stdout { get; }

    public Stream Stderr { get; }

    /// <summary>Completes when it has exited (not yet reaped).</summary>
    public Task Exited { get; }

    public bool HasExited => Exited.IsCompleted;

    /// <summary>Collects its exit status once it exited: the code it exited with, or 128 + n when signal n killed it.</summary>
    public int Reap()
    {
        if (Interlocked.Exchange(ref reaped, 1) == 1)
        {
            throw new InvalidOperationException($"process {Pid} was already reaped");
        }
        int result;
        int status;
        while ((result = Posix.WaitPid(Pid, out status, 0)) < 0 && Marshal.GetLastPInvokeError() == Posix.EIntr)
        {
        }
        if (result != Pid)
        {
            throw new InvalidOperationException($"waitpid {Pid}: {Posix.StrError(Marshal.GetLastPInvokeError())}");
        }
        var signal = status & 0x7f;
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal;
    }

    public void Dispose()
    {
        try
        {
            Stdin.Dispose();
        }
        catch (IOException)
        {
            // It exited without reading what was left to write (EPIPE): nothing to flush to.
        }
        Stdout.Dispose();
        Stderr.Dispose();
        if (HasExited && Volatile.Read(ref reaped) == 0)
        {
            Reap();
        }
    }
}
