using System.Diagnostics;

namespace Ferry.Tests.Containers;

/// <summary>
/// The tools the container tests need (podman, runc, docker-registry, skopeo, umoci, busybox-static; ./test.sh
/// installs them), and podman's view of Ferry's containers.
/// </summary>
internal static class ContainerTools
{
    private static readonly string[] Tools = ["podman", "runc", "docker-registry", "skopeo", "umoci", "busybox"];

    private static bool OnCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    private static IEnumerable<string> Missing => Tools.Where(t => !new[] { "/usr/bin", "/usr/sbin", "/bin", "/sbin" }.Any(d => File.Exists(Path.Combine(d, t))));

    /// <summary>Null when the tests must run: the tools are there, or this is CI (where they then fail).</summary>
    public static string? SkipReason => Missing.Any() && !OnCi
        ? $"not installed: {string.Join(", ", Missing)} (./test.sh installs them; on CI these tests fail instead)"
        : null;

    public static void EnsureInstalled()
    {
        if (Missing.Any())
            throw new InvalidOperationException($"the container tests need {string.Join(", ", Missing)}: run ./test.sh, which installs them");
    }

    /// <summary>The names of the containers podman has (running or not) with Ferry's label for <paramref name="dataDirectory"/>.</summary>
    public static async Task<IReadOnlyList<string>> FerryContainersAsync(string dataDirectory)
    {
        var output = await RunAsync("podman", "ps", "--all", "--filter", $"label=io.ferry.data={Path.GetFullPath(dataDirectory)}", "--format", "{{.Names}}");
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    /// <summary>Waits (up to 30 s) until podman shows no Ferry container for <paramref name="dataDirectory"/>; fails naming those left.</summary>
    public static async Task NoContainersLeftAsync(string dataDirectory)
    {
        var deadline = Stopwatch.StartNew();
        IReadOnlyList<string> left;
        while ((left = await FerryContainersAsync(dataDirectory)).Count > 0)
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(30))
                throw new TimeoutException($"containers left running for {dataDirectory}: {string.Join(", ", left)}");
            await Task.Delay(200);
        }
    }

    public static async Task<string> RunAsync(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
            info.ArgumentList.Add(arg);
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {file}");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited with {process.ExitCode}: {await error}");
        return await output;
    }
}
