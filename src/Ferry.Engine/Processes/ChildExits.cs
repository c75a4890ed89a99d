using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace Ferry.Engine.Processes;

/// <summary>
/// Tells when children <see cref="ProcessLauncher"/> started exit: on each SIGCHLD (the runtime's signal thread,
/// beside its own handling for <see cref="System.Diagnostics.Process"/>) every child still waited for is asked with
/// a waitid that neither blocks nor reaps. No thread per child, which under load cost a scheduling round each.
/// </summary>
internal static class ChildExits
{
    // siginfo_t's si_pid, after si_signo, si_errno, si_code and the union's alignment (x86-64, arm64).
    private const int SiPidOffset = 16;
    private static readonly ConcurrentDictionary<int, TaskCompletionSource> Waiting = new();
    private static readonly PosixSignalRegistration? Registration =
        OperatingSystem.IsWindows() ? null : PosixSignalRegistration.Create(PosixSignal.SIGCHLD, _ => CheckAll());

    /// <summary>Completes once <paramref name="pid"/> exited; it stays a zombie until reaped.</summary>
    public static Task WhenExited(int pid)
    {
        GC.KeepAlive(Registration);
        var exited = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Waiting[pid] = exited;
        // It may have exited before it was listed: its SIGCHLD found nothing to wait for.
        Check(pid);
        return exited.Task;
    }

    private static void CheckAll()
    {
        foreach (var pid in Waiting.Keys)
        {
            Check(pid);
        }
    }

    private static void Check(int pid)
    {
        var info = new byte[Posix.OpaqueSize];
        int result;
        while ((result = Posix.WaitId(Posix.PPid, pid, info, Posix.WExited | Posix.WNoHang | Posix.WNoWait)) < 0 && Marshal.GetLastPInvokeError() == Posix.EIntr)
        {
        }
        // Zero with si_pid unset: it still runs. An error: it is no child to wait for (any more), so no wait ends otherwise.
        if ((result < 0 || BitConverter.ToInt32(info, SiPidOffset) == pid) && Waiting.TryRemove(pid, out var exited))
        {
            exited.TrySetResult();
        }
    }
}
