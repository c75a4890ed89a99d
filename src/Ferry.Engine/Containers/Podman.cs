using Ferry.Engine.Processes;

namespace Ferry.Engine.Containers;

/// <summary>Runs the <c>podman</c> command through the server's one process runner, so it dies with the server.</summary>
internal sealed class Podman(ProcessRunner processes)
{
    public const string Executable = "podman";

    /// <summary>
    /// Podman's own environment: the basics, plus the variables that point it at another configuration (tests and
    /// users with a rootless setup use them). Nothing else of the server's reaches it or the containers.
    /// </summary>
    public static Dictionary<string, string> Environment() => ProcessEnvironment.Inherited(
        "CONTAINERS_CONF", "CONTAINERS_STORAGE_CONF", "CONTAINERS_REGISTRIES_CONF", "REGISTRY_AUTH_FILE", "XDG_RUNTIME_DIR");

    public ProcessRunner Processes => processes;

    /// <summary>Runs <c>podman ARGS</c> to its end, keeping its output; never throws for a non-zero exit.</summary>
    public Task<CapturedRun> CaptureAsync(IReadOnlyList<string> arguments, CancellationToken cancellation, string? stdin = null) =>
        processes.CaptureAsync(Spec(arguments, Environment()) with { Stdin = stdin }, null, 1024 * 1024, cancellation);

    public static ProcessSpec Spec(IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment) =>
        new(Executable, arguments, Path.GetTempPath(), environment);

    /// <summary>What podman said went wrong: its <c>Error:</c> lines, else the last lines of its stderr.</summary>
    public static string ErrorText(string stderrTail, int exitCode)
    {
        var errors = stderrTail.Split('\n').Where(l => l.StartsWith("Error: ", StringComparison.Ordinal)).Select(l => l["Error: ".Length..]).ToList();
        var text = errors.Count > 0 ? string.Join("; ", errors) : stderrTail.Trim();
        return text.Length > 0 ? text : $"podman exited with code {exitCode}";
    }
}
