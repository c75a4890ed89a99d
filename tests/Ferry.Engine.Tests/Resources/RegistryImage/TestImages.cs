using System.Diagnostics;

namespace Ferry.Engine.Tests.Resources.RegistryImage;

/// <summary>
/// Builds test images without the internet: an OCI layout made with <c>umoci</c> (init, new, unpack, repack, config)
/// whose rootfs is apt's static busybox with its applet links, pushed with <c>skopeo copy</c> to a
/// <see cref="LocalRegistry"/>. Each image tag of the layout is one image.
/// </summary>
internal sealed class TestImages : IDisposable
{
    private static readonly string[] Tools = ["/usr/bin/umoci", "/usr/bin/skopeo", "/bin/busybox", LocalRegistry.Executable];

    public TestImages()
    {
        Root = Directory.CreateTempSubdirectory("ferry-images-").FullName;
        Run("umoci", "init", "--layout", Layout);
    }

    public string Root { get; }

    /// <summary>The OCI image layout directory every image goes into.</summary>
    public string Layout => Path.Combine(Root, "layout");

    private static bool OnCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Null when the tests must run: the tools are there, or this is CI (where they then fail).</summary>
    public static string? SkipReason
    {
        get
        {
            var missing = Tools.Where(t => !File.Exists(t)).ToList();
            return missing.Count > 0 && !OnCi
                ? $"{string.Join(", ", missing)} missing (./test.sh installs docker-registry, skopeo, umoci and busybox-static; on CI these tests fail instead)"
                : null;
        }
    }

    /// <summary>A busybox image: /bin/busybox, its applets as links, <paramref name="files"/> (path in the rootfs → content).</summary>
    public void Busybox(string tag, IReadOnlyDictionary<string, string>? files = null, string? user = null, params string[] env)
    {
        Run("umoci", "new", "--image", $"{Layout}:{tag}");
        Change(tag, tag, rootfs =>
        {
            var bin = Directory.CreateDirectory(Path.Combine(rootfs, "bin")).FullName;
            File.Copy("/bin/busybox", Path.Combine(bin, "busybox"));
            foreach (var applet in Run("/bin/busybox", "--list").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (applet != "busybox" && !applet.Contains('/'))
                    File.CreateSymbolicLink(Path.Combine(bin, applet), "busybox");
            }
            Directory.CreateDirectory(Path.Combine(rootfs, "tmp"));
            foreach (var (path, content) in files ?? new Dictionary<string, string>())
                Write(rootfs, path, content);
        });
        var config = new List<string> { "config", "--image", $"{Layout}:{tag}" };
        if (user is not null)
            config.AddRange(["--config.user", user]);
        foreach (var variable in env)
            config.AddRange(["--config.env", variable]);
        if (config.Count > 3)
            Run("umoci", [.. config]);
    }

    /// <summary>A new image <paramref name="to"/>: <paramref name="from"/> plus one layer with what <paramref name="change"/> did to its rootfs.</summary>
    public void Change(string from, string to, Action<string> change)
    {
        var bundle = Path.Combine(Root, "bundle-" + Guid.NewGuid().ToString("N"));
        Run("umoci", "unpack", "--image", $"{Layout}:{from}", bundle);
        change(Path.Combine(bundle, "rootfs"));
        Run("umoci", "repack", "--image", $"{Layout}:{to}", bundle);
        Directory.Delete(bundle, recursive: true);
    }

    public void Push(string tag, LocalRegistry registry, string repository, string? remoteTag = null) =>
        Run("skopeo", "copy", "--quiet", "--dest-tls-verify=false", $"oci:{Layout}:{tag}", $"docker://{registry.Host}/{repository}:{remoteTag ?? tag}");

    /// <summary>A layout directory holding only the image <paramref name="tag"/> (what a put pushes).</summary>
    public string Export(string tag)
    {
        var directory = Path.Combine(Root, "export-" + Guid.NewGuid().ToString("N"));
        Run("skopeo", "copy", "--quiet", $"oci:{Layout}:{tag}", $"oci:{directory}:{tag}");
        return directory;
    }

    public static void Write(string rootfs, string path, string content)
    {
        var full = Path.Combine(rootfs, path.TrimStart('/'));
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
    }

    public static string Run(string tool, params string[] args)
    {
        var info = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
            info.ArgumentList.Add(arg);
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {tool}");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{tool} {string.Join(' ', args)} exited with {process.ExitCode}: {stderr.Result}{stdout}");
        return stdout;
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}

/// <summary>A test that needs the registry and image tools: skipped, with the reason, when they are missing outside CI; on CI it fails.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class RegistryFactAttribute : FactAttribute
{
    public RegistryFactAttribute()
    {
        if (TestImages.SkipReason is { } reason)
            Skip = reason;
    }
}
