using Ferry.Engine.Processes;

namespace Ferry.Engine.Containers;

/// <summary>What <c>--runtime</c> came to: the container runtime (null: processes only) and the sentence the start message says.</summary>
public sealed class RuntimeChoice : IDisposable
{
    private RuntimeChoice(ContainerRuntime? containers, string description)
    {
        Containers = containers;
        Description = description;
    }

    public ContainerRuntime? Containers { get; }

    public string Description { get; }

    /// <summary>Probes podman (once per process) unless <paramref name="kind"/> is <see cref="RuntimeKind.Process"/>.</summary>
    public static async Task<ContainerProbe?> ProbeAsync(RuntimeKind kind) =>
        kind == RuntimeKind.Process ? null : await ContainerProbe.RunAsync(new ProcessRunner());

    /// <param name="probe">From <see cref="ProbeAsync"/>.</param>
    /// <exception cref="ContainerException"><see cref="RuntimeKind.Container"/> was asked for and podman cannot run containers here.</exception>
    public static RuntimeChoice Create(RuntimeKind kind, ContainerProbe? probe, ProcessRunner processes, string dataDirectory, string recordDirectory)
    {
        if (kind == RuntimeKind.Process || probe is null)
            return new RuntimeChoice(null, "processes (--runtime process): a task that names an image fails, and so does a resource type that is an image");
        if (probe.Works)
        {
            return new RuntimeChoice(new ContainerRuntime(processes, dataDirectory, recordDirectory, probe.Description),
                $"containers ({probe.Description}) for tasks that name an image and resource types that are images; processes for tasks that name none");
        }
        if (kind == RuntimeKind.Container)
            throw new ContainerException($"--runtime container: {probe.Description}", 1);
        return new RuntimeChoice(null, $"processes, as containers cannot run here ({probe.Description}): a task that names an image fails, and so does a resource type that is an image");
    }

    public void Dispose() => Containers?.Dispose();
}
