using System.Runtime.InteropServices;

namespace Ferry.Engine.Processes;

/// <summary>Signals a whole process group: every process a child started, also those whose parent already exited.</summary>
internal static partial class ProcessGroup
{
    private const int SigKill = 9;

    /// <summary>True when the group had a process to signal.</summary>
    public static bool Kill(int groupId) => groupId > 1 && NativeKill(-groupId, SigKill) == 0;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int NativeKill(int pid, int signal);
}
