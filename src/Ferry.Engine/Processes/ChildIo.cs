using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace Ferry.Engine.Processes;

/// <summary>
/// Waits for every child's pipes to have something to read and for every child to exit, on one thread with one
/// <c>epoll</c> set: a pipe is a non-blocking <see cref="ChildPipe"/>, an exit a pidfd. Before, each pipe held a
/// thread-pool thread blocked in <c>read</c> and each exit came by SIGCHLD through the runtime's signal thread: six
/// or seven thread wake-ups a child, where this takes two (this thread, then the thread pool for what waited).
/// </summary>
internal static class ChildIo
{
    private const int EpollCloExec = 0x80000;
    private const int EpollCtlAdd = 1;
    private const int EpollCtlDel = 2;
    private const int EpollCtlMod = 3;
    private const uint EpollIn = 0x1;
    private const uint EpollOneShot = 1u << 30;
    private const int MaxEvents = 64;

    // struct epoll_event is packed on x86-64 (4 bytes of events, then 8 of data), naturally aligned elsewhere.
    private static readonly bool Packed = RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.X86;
    private static readonly int EventSize = Packed ? 12 : 16;
    private static readonly int DataOffset = Packed ? 4 : 8;

    private static readonly ConcurrentDictionary<long, TaskCompletionSource> Waiting = new();
    private static readonly int Epoll = Start();
    private static long keys;

    /// <summary>A key for one file descriptor's waits; an event that comes after it was forgotten finds nothing.</summary>
    public static long NewKey() => Interlocked.Increment(ref keys);

    /// <summary>
    /// Completes once <paramref name="fd"/> has something to read, or its other end closed (once: call again to wait
    /// again). <paramref name="added"/> says whether the descriptor is in the set already; it is after this call.
    /// </summary>
    public static Task WhenReadable(int fd, long key, ref bool added)
    {
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // Listed before it is armed: the event can come before this method returns.
        Waiting[key] = ready;
        var operation = added ? EpollCtlMod : EpollCtlAdd;
        if (Posix.EpollCtl(Epoll, operation, fd, Event(EpollIn | EpollOneShot, key)) != 0)
        {
            var error = Marshal.GetLastPInvokeError();
            Waiting.TryRemove(key, out _);
            throw new IOException($"epoll_ctl: {Posix.StrError(error)}");
        }
        added = true;
        return ready.Task;
    }

    /// <summary>Takes <paramref name="fd"/> out of the set before it is closed; a wait on it ends (its reader then finds it closed).</summary>
    public static void Forget(int fd, long key, bool added)
    {
        if (added)
        {
            Posix.EpollCtl(Epoll, EpollCtlDel, fd, null);
        }
        if (Waiting.TryRemove(key, out var waiting))
        {
            waiting.TrySetResult();
        }
    }

    /// <summary>Completes once <paramref name="pid"/>, a child of this process, exited; it stays a zombie until reaped.</summary>
    public static Task WhenExited(int pid)
    {
        var pidFd = Posix.PidFdOpen(pid);
        if (pidFd < 0)
        {
            var error = Marshal.GetLastPInvokeError();
            throw new IOException(error == Posix.ENoSys
                ? "pidfd_open is not supported: Ferry runs processes on Linux 5.3 or later"
                : $"pidfd_open {pid}: {Posix.StrError(error)}");
        }
        var added = false;
        var exited = WhenReadable(pidFd, NewKey(), ref added);
        // Its one event came: the descriptor leaves the set as it is closed.
        exited.ContinueWith(_ => Posix.Close(pidFd), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return exited;
    }

    private static int Start()
    {
        var epoll = Posix.EpollCreate(EpollCloExec);
        if (epoll < 0)
        {
            throw new IOException($"epoll_create1: {Posix.StrError(Marshal.GetLastPInvokeError())}");
        }
        new Thread(() => Loop(epoll)) { IsBackground = true, Name = "ferry child io" }.Start();
        return epoll;
    }

    private static void Loop(int epoll)
    {
        var events = new byte[MaxEvents * EventSize];
        while (true)
        {
            var count = Posix.EpollWait(epoll, events, MaxEvents, -1);
            if (count < 0)
            {
                // EINTR; nothing else can fail on a valid set and buffer.
                continue;
            }
            for (var i = 0; i < count; i++)
            {
                var key = BitConverter.ToInt64(events, i * EventSize + DataOffset);
                if (Waiting.TryRemove(key, out var ready))
                {
                    ready.TrySetResult();
                }
            }
        }
    }

    private static byte[] Event(uint events, long key)
    {
        var bytes = new byte[EventSize];
        BitConverter.TryWriteBytes(bytes, events);
        BitConverter.TryWriteBytes(bytes.AsSpan(DataOffset), key);
        return bytes;
    }
}
