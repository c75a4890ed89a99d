using System.Runtime.InteropServices;

namespace Ferry.Engine.Processes;

/// <summary>The libc calls <see cref="ProcessLauncher"/> starts and waits for children with (glibc, Linux).</summary>
internal static class Posix
{
    public const int PosixSpawnSetSigDef = 0x04;
    public const int PosixSpawnSetSigMask = 0x08;
    public const int PosixSpawnSetSid = 0x80;
    public const int OCloExec = 0x80000;
    public const int FDupFdCloExec = 1030;
    public const int PPid = 1;
    public const int WExited = 4;
    public const int WNoWait = 0x01000000;
    public const int WNoHang = 1;
    public const int XOk = 1;
    public const int EIntr = 4;
    public const int EAcces = 13;
    public const int ENoExec = 8;
    public const int ENoEnt = 2;
    public const int EAgain = 11;
    public const int ENoSys = 38;
    public const int ONonBlock = 0x800;
    public const int FGetFl = 3;
    public const int FSetFl = 4;
    public const short PollIn = 0x1;

    // Opaque glibc structures, larger than their real size (posix_spawnattr_t 336, posix_spawn_file_actions_t 80,
    // sigset_t 128, siginfo_t 128 bytes): only libc reads and writes them.
    public const int OpaqueSize = 512;

    private const string Libc = "libc";

    [DllImport(Libc, EntryPoint = "posix_spawn")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static extern int Spawn(out int pid, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, byte[] fileActions, byte[] attributes, IntPtr[] argv, IntPtr[] envp);

    [DllImport(Libc, EntryPoint = "posix_spawnattr_init")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static extern int SpawnAttrInit(byte[] attributes);

    [DllImport(Libc, EntryPoint = "posix_spawnattr_destroy")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static extern int SpawnAttrDestroy(byte[] attributes);

    [DllImport(Libc, EntryPoint = "posix_spawnattr_setflags")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static extern int SpawnAttrSetFlags(byte[] attributes, short flags);

    [DllImport(Libc, EntryPoint = "posix_spawnattr_setsigmask")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static extern int SpawnAttrSetSigMask(byte[] attributes, byte[] signals);

    [DllImport(Libc, EntryPoint = "posix_spawnattr_setsigdefault")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static extern int SpawnAttrSetSigDefault(byte[] attributes, byte[] signals);

    [DllImport(Libc, EntryPoint = "posix_spawn_file_actions_init")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static extern int FileActionsInit(byte[] fileActions);

    [DllImport(Libc, EntryPoint = "posix_spawn_file_actions_destroy")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static extern int FileActionsDestroy(byte[] fileActions);

    [DllImport(Libc, EntryPoint = "posix_spawn_file_actions_adddup2")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static extern int FileActionsAddDup2(byte[] fileActions, int fd, int newFd);

    [DllImport(Libc, EntryPoint = "posix_spawn_file_actions_addchdir_np")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static extern int FileActionsAddChdir(byte[] fileActions, [MarshalAs(UnmanagedType.LPUTF8Str)] string path);

    [DllImport(Libc, EntryPoint = "sigemptyset")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static extern int SigEmptySet(byte[] signals);

    [DllImport(Libc, EntryPoint = "sigfillset")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static extern int SigFillSet(byte[] signals);

    [DllImport(Libc, EntryPoint = "pipe2", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static extern int Pipe2(int[] fds, int flags);

    [DllImport(Libc, EntryPoint = "fcntl", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static extern int Fcntl(int fd, int command, int argument);

    [DllImport(Libc, EntryPoint = "close", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static extern int Close(int fd);

    [DllImport(Libc, EntryPoint = "access", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static extern int Access([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int mode);

    [DllImport(Libc, EntryPoint = "waitid", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static extern int WaitId(int idType, int id, byte[] info, int options);

    [DllImport(Libc, EntryPoint = "waitpid", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static extern int WaitPid(int pid, out int status, int options);

    [DllImport(Libc, EntryPoint = "read", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static extern nint Read(IntPtr fd, ref byte buffer, nint count);

    [DllImport(Libc, EntryPoint = "poll", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static extern int Poll(ref PollFd fds, nuint count, int timeoutMilliseconds);

    [DllImport(Libc, EntryPoint = "epoll_create1", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static extern int EpollCreate(int flags);

    /// <param name="eventBytes">An <c>epoll_event</c> (see <see cref="ChildIo"/> for its layout), or null for a delete.</param>
    [DllImport(Libc, EntryPoint = "epoll_ctl", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static extern int EpollCtl(int epoll, int operation, int fd, byte[]? eventBytes);

    [DllImport(Libc, EntryPoint = "epoll_wait", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static extern int EpollWait(int epoll, byte[] events, int maxEvents, int timeoutMilliseconds);

    [DllImport(Libc, EntryPoint = "syscall", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Syscall(nint number, int pid, uint flags);

    /// <summary>A file descriptor that becomes readable when the child <paramref name="pid"/> exits (Linux 5.3).</summary>
    public static int PidFdOpen(int pid) => Syscall(434, pid, 0); // the same number on every architecture

    [StructLayout(LayoutKind.Sequential)]
    public struct PollFd
    {
        public int Fd;
        public short Events;
        public short Returned;
    }

    [DllImport(Libc, EntryPoint = "strerror")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern IntPtr StrErrorNative(int error);

    public static string StrError(int error) => Marshal.PtrToStringUTF8(StrErrorNative(error)) ?? $"error {error}";
}
