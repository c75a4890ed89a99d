namespace Ferry.Engine.Containers;

/// <summary>
/// One container to run to its end: the image, the command (run directly, the image's entrypoint ignored, as
/// Concourse does), and exactly the environment and directories it is given.
/// </summary>
/// <param name="Command">An absolute path, a path relative to <see cref="WorkingDirectory"/>, or a name looked up in the image's PATH.</param>
public sealed record ContainerSpec(ContainerImage Image, string Command, IReadOnlyList<string> Arguments)
{
    /// <summary>Inside the container; podman creates it if the image lacks it. The image's own when null.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>On top of the image's environment.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    public IReadOnlyList<ContainerMount> Mounts { get; init; } = [];

    /// <summary>A name or uid[:gid]; the image's user when null.</summary>
    public string? User { get; init; }

    public bool Privileged { get; init; }

    /// <summary>The cgroup cpu shares (relative weight; 1024 is one share).</summary>
    public long? CpuShares { get; init; }

    public long? MemoryBytes { get; init; }

    /// <summary>Written to the command's stdin, which is then closed; no stdin when null.</summary>
    public string? Stdin { get; init; }

    /// <summary>Extra labels (<see cref="ContainerLabels.Build"/>).</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>How long to wait for the output pipes after podman is gone.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(5);
}

/// <summary>A host directory bind-mounted into the container.</summary>
public sealed record ContainerMount(string Source, string Target, bool ReadOnly = false);
