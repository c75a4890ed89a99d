using Ferry.Engine.Processes;

namespace Ferry.Engine.Containers;

/// <summary>Whether podman can run a container on this machine: its version, or why not.</summary>
public sealed record ContainerProbe(bool Works, string Description)
{
    private static readonly Lock Gate = new();
    private static Task<ContainerProbe>? _probe;

    /// <summary>
    /// Probes once per process (the machine does not change under a running server): finds podman, then runs a
    /// real container (<c>true</c> from the host's own root, through an overlay, without network), which exercises
    /// the OCI runtime, cgroups and storage as a task would.
    /// </summary>
    public static Task<ContainerProbe> RunAsync(ProcessRunner processes)
    {
        lock (Gate)
        {
            return _probe ??= ProbeAsync(new Podman(processes));
        }
    }

    private static async Task<ContainerProbe> ProbeAsync(Podman podman)
    {
        var path = Podman.Environment()["PATH"];
        if (!path.Split(':', StringSplitOptions.RemoveEmptyEntries).Any(d => File.Exists(Path.Combine(d, Podman.Executable))))
            return new ContainerProbe(false, "podman is not installed (apt-get install podman runc)");
        var version = await podman.CaptureAsync(["version", "--format", "{{.Client.Version}}"], CancellationToken.None);
        if (version.ExitCode != 0)
            return new ContainerProbe(false, $"podman version failed: {Podman.ErrorText(version.StderrTail, version.ExitCode)}");
        var run = await podman.CaptureAsync(["run", "--rm", "--network", "none", "--log-driver", "none", "--rootfs", "/:O", "/bin/true"], CancellationToken.None);
        var description = $"podman {version.Stdout.Trim()}";
        return run.ExitCode == 0
            ? new ContainerProbe(true, description)
            : new ContainerProbe(false, $"{description} cannot run a container: {Podman.ErrorText(run.StderrTail, run.ExitCode)}");
    }
}
