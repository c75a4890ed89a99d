namespace Ferry.Tests.Containers;

/// <summary>A root filesystem of <c>/bin/busybox</c> (apt <c>busybox-static</c>) and a link per applet: sh, cat, id, sleep ….</summary>
internal static class BusyboxRootfs
{
    private static readonly Lazy<string[]> Applets = new(() =>
        ContainerTools.RunAsync("/bin/busybox", "--list").GetAwaiter().GetResult().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    public static string Create(string rootfs)
    {
        var bin = Directory.CreateDirectory(Path.Combine(rootfs, "bin")).FullName;
        File.Copy("/bin/busybox", Path.Combine(bin, "busybox"));
        foreach (var applet in Applets.Value.Where(a => a != "busybox"))
            File.CreateSymbolicLink(Path.Combine(bin, applet), "busybox");
        foreach (var directory in new[] { "etc", "tmp", "root" })
            Directory.CreateDirectory(Path.Combine(rootfs, directory));
        File.WriteAllText(Path.Combine(rootfs, "etc", "passwd"), "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/sh\n");
        File.WriteAllText(Path.Combine(rootfs, "etc", "group"), "root:x:0:\nnogroup:x:65534:\n");
        return rootfs;
    }

    /// <summary>Writes an executable file (a script) into the root filesystem.</summary>
    public static void Script(string rootfs, string path, string text)
    {
        var file = Path.Combine(rootfs, path.TrimStart('/'));
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllText(file, text.ReplaceLineEndings("\n"));
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(file, (UnixFileMode)0b111_101_101);
    }
}
