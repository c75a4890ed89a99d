using System.Diagnostics;

namespace Ferry.Engine.Containers;

/// <summary>
/// Removes a runtime's containers when the server dies, even by SIGKILL. A killed <c>podman run</c> leaves its
/// container running (conmon keeps it), so the parent-death signal that stops tasks is not enough here: the
/// sentinel is a small shell, outside the server's process tree, that reads a pipe only the server holds; when the
/// server is gone the pipe ends and the sentinel runs <c>podman rm --force</c> on the runtime's label.
/// </summary>
internal sealed class ContainerSentinel : IDisposable
{
    private const string Script = """
        exec >/dev/null 2>&1
        while read -r _; do :; done
        # The server is gone or let go: whatever it still runs must not outlive it. A podman run killed mid-start
        # may still be finishing its container's creation, hence a second pass.
        podman rm --force --time 0 --filter "label=$1"
        sleep 2
        podman rm --force --time 0 --filter "label=$1"
        """;

    private readonly Process _process;

    private ContainerSentinel(Process process) => _process = process;

    /// <param name="label"><c>key=value</c> of the containers to remove.</param>
    public static ContainerSentinel Start(string label)
    {
        // setsid --fork: the sentinel is re-parented to init, so killing the server's whole tree spares it.
        var info = new ProcessStartInfo("setsid")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            WorkingDirectory = "/",
        };
        foreach (var argument in new[] { "--fork", "sh", "-c", Script, "ferry-container-sentinel", label })
            info.ArgumentList.Add(argument);
        info.Environment.Clear();
        foreach (var (name, value) in Podman.Environment())
            info.Environment[name] = value;
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start the container sentinel");
        return new ContainerSentinel(process);
    }

    /// <summary>Lets go of the pipe: the sentinel removes what is left and exits.</summary>
    public void Dispose()
    {
        try
        {
            _process.StandardInput.Close();
        }
        catch (IOException)
        {
            // It is gone already.
        }
        _process.Dispose();
    }
}
