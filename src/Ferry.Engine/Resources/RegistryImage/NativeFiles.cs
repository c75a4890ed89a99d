using System.ComponentModel;
using System.Runtime.InteropServices;

namespace Ferry.Engine.Resources.RegistryImage;

/// <summary>What unpacking a rootfs needs that .NET has no API for: hard links, and owners (root only).</summary>
internal static class NativeFiles
{
    /// <summary>Whether this process may give files away (it runs as root): only then do unpacked files keep their owners.</summary>
    public static bool CanChown { get; } = geteuid() == 0;

    public static void HardLink(string existing, string link)
    {
        if (NativeLink(existing, link) != 0)
            throw new IOException($"hard link {link} -> {existing}: {new Win32Exception(Marshal.GetLastWin32Error()).Message}");
    }

    /// <summary>Sets the owner of the path itself, not of what a symlink points at.</summary>
    public static void Chown(string path, int uid, int gid)
    {
        if (NativeLchown(path, uid, gid) != 0)
            throw new IOException($"chown {uid}:{gid} {path}: {new Win32Exception(Marshal.GetLastWin32Error()).Message}");
    }

    [DllImport("libc", EntryPoint = "link", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int NativeLink([MarshalAs(UnmanagedType.LPUTF8Str)] string existing, [MarshalAs(UnmanagedType.LPUTF8Str)] string link);

    [DllImport("libc", EntryPoint = "lchown", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int NativeLchown([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int uid, int gid);

    [DllImport("libc", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern uint geteuid();
}
