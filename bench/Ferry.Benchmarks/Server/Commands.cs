using System.Diagnostics;

namespace Ferry.Benchmarks.Server;

/// <summary>Runs git and the ferry CLI to completion, failing with what they printed.</summary>
internal static class Commands
{
    public static async Task<string> RunAsync(string file, IEnumerable<string> args, string workingDirectory,
        IDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var arg in args)
            info.ArgumentList.Add(arg);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
            info.Environment[key] = value;
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {file}");
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', info.ArgumentList)} did not finish within 60 s");
        }
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', info.ArgumentList)} exited {process.ExitCode}:\n{await output}\n{await error}");
        return (await output).Trim();
    }

    public static Task<string> GitAsync(string directory, params string[] args) =>
        RunAsync("git", ["-c", "user.name=Ferry Bench", "-c", "user.email=bench@ferry.local", .. args], directory);

    /// <summary>The real `ferry` CLI (the ferry.dll next to this program) against <paramref name="server"/>, as its admin.</summary>
    public static Task<string> FerryAsync(ServerProcess server, params string[] args) =>
        RunAsync("dotnet", [Path.Combine(AppContext.BaseDirectory, "ferry.dll"), .. args], Environment.CurrentDirectory,
            new Dictionary<string, string>
            {
                ["FERRY_URL"] = server.Url,
                ["FERRY_TOKEN"] = server.AdminToken,
                ["XDG_CONFIG_HOME"] = Path.Combine(server.DataDirectory, "cli-config"),
            });
}
