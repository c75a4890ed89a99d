using System.Diagnostics;
using Ferry.Tests.LocalServers;

namespace Ferry.Tests.Containers;

/// <summary>
/// Debian's <c>docker-registry</c> on a free loopback port with its own storage, and test images built here from
/// <c>busybox-static</c> with <c>umoci</c> and pushed with <c>skopeo</c>: nothing comes from the internet.
/// </summary>
public sealed class TestRegistry : IAsyncDisposable
{
    private readonly Process _process;

    private TestRegistry(Process process, string root, int port)
    {
        _process = process;
        Root = root;
        Host = $"127.0.0.1:{port}";
    }

    /// <summary><c>127.0.0.1:PORT</c>: a repository is <c>{Host}/name</c>.</summary>
    public string Host { get; }

    private string Root { get; }

    public static async Task<TestRegistry> StartAsync()
    {
        ContainerTools.EnsureInstalled();
        var root = Directory.CreateTempSubdirectory("ferry-registry-").FullName;
        var port = LocalServerProcess.FreePort();
        var config = Path.Combine(root, "config.yml");
        await File.WriteAllTextAsync(config, $"""
            version: 0.1
            log: {"{"}level: error{"}"}
            storage: {"{"}filesystem: {"{"}rootdirectory: {root}/data{"}"}{"}"}
            http: {"{"}addr: 127.0.0.1:{port}{"}"}
            """);
        var info = new ProcessStartInfo("docker-registry") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add("serve");
        info.ArgumentList.Add(config);
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start docker-registry");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var registry = new TestRegistry(process, root, port);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(20))
        {
            try
            {
                if ((await http.GetAsync($"http://{registry.Host}/v2/")).IsSuccessStatusCode)
                    return registry;
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            catch (TaskCanceledException)
            {
                // not answering yet
            }
            if (process.HasExited)
                break;
            await Task.Delay(100);
        }
        await registry.DisposeAsync();
        throw new InvalidOperationException($"docker-registry did not answer on {registry.Host}");
    }

    /// <summary>
    /// Builds a busybox image (<c>/bin/busybox</c> and its applets, PATH=/bin) plus what <paramref name="files"/>
    /// adds to the root filesystem, and pushes it as <c>{Host}/{name}:{tag}</c>; returns the repository.
    /// </summary>
    public async Task<string> PushBusyboxAsync(string name, string tag, Action<string>? files = null)
    {
        var work = Directory.CreateTempSubdirectory("ferry-image-").FullName;
        try
        {
            var rootfs = BusyboxRootfs.Create(Path.Combine(work, "rootfs"));
            files?.Invoke(rootfs);
            var layout = Path.Combine(work, "oci");
            await ContainerTools.RunAsync("umoci", "init", "--layout", layout);
            await ContainerTools.RunAsync("umoci", "new", "--image", $"{layout}:{tag}");
            await ContainerTools.RunAsync("umoci", "insert", "--image", $"{layout}:{tag}", rootfs, "/");
            await ContainerTools.RunAsync("umoci", "config", "--image", $"{layout}:{tag}", "--config.env", "PATH=/bin", "--config.cmd", "/bin/sh");
            await ContainerTools.RunAsync("skopeo", "copy", "--quiet", "--dest-tls-verify=false", $"oci:{layout}:{tag}", $"docker://{Host}/{name}:{tag}");
            return $"{Host}/{name}";
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        Directory.Delete(Root, recursive: true);
    }
}
