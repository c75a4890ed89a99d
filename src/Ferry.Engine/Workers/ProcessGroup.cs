using System.Runtime.InteropServices;

namespace Ferry.Engine.Workers;

/// <summary>Signals a whole process group: every process a task started, also those whose parent already exited.</summary>
internal static partial class ProcessGroup
{
    private const int SigKill = 9;

    /// <summary>The setsid executable that starts a task as the leader of its own session and process group.</summary>
    public static string Setsid { get; } = new[] { "/usr/bin/setsid", "/bin/setsid" }.FirstOrDefault(File.Exists)
        ?? throw new PlatformNotSupportedException("the process runtime needs setsid (util-linux)");

    public static void Kill(int groupId)
    {
        if (groupId > 1)
        {
            _ = NativeKill(-groupId, SigKill);
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int NativeKill(int pid, int signal);
}
