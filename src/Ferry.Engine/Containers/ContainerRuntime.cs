using System.Globalization;
using Ferry.Engine.Processes;

namespace Ferry.Engine.Containers;

/// <summary>
/// Runs steps in containers with podman (runtime <c>container</c>). Every container runs through the server's
/// process runner as <c>podman run --rm</c>, carries Ferry's labels and is recorded under the data directory. It is
/// removed (<c>podman rm --force</c>) on abort and timeout; when the server dies, its <see cref="ContainerSentinel"/>
/// removes it, and what even that missed the next start removes (<see cref="ReapLeftoversAsync"/>).
/// </summary>
public sealed class ContainerRuntime : IDisposable
{
    /// <summary>How long a tag is taken to name the same image (Concourse's default check interval).</summary>
    public static readonly TimeSpan DefaultImageMaxAge = TimeSpan.FromMinutes(1);

    // Variables podman itself reads: a step's value for one of them goes on podman's command line, not in its environment.
    private static readonly HashSet<string> PodmanOwn = new(["PATH", "HOME", "LANG", "TMPDIR", "USER",
        "CONTAINERS_CONF", "CONTAINERS_STORAGE_CONF", "CONTAINERS_REGISTRIES_CONF", "REGISTRY_AUTH_FILE", "XDG_RUNTIME_DIR"], StringComparer.Ordinal);

    private readonly Podman _podman;
    private readonly ContainerRecord _record;
    private readonly string _dataDirectory;
    private readonly string _id = Guid.NewGuid().ToString("N")[..12];
    private readonly Lock _lock = new();
    private ContainerSentinel? _sentinel;
    private long _count;
    private bool _disposed;

    /// <param name="processes">The server's process runner: podman runs through it, so it dies with the server.</param>
    /// <param name="dataDirectory">Labels the containers (<see cref="ContainerLabels.Data"/>).</param>
    /// <param name="recordDirectory">Where the running containers are recorded (<see cref="Pipelines.EngineDirectories.Containers"/>).</param>
    /// <param name="description">What the start message says runs the containers (<c>podman 4.3.1</c>).</param>
    public ContainerRuntime(ProcessRunner processes, string dataDirectory, string recordDirectory, string description = Podman.Executable, TimeProvider? time = null)
    {
        _podman = new Podman(processes);
        _record = new ContainerRecord(recordDirectory);
        _dataDirectory = Path.GetFullPath(dataDirectory);
        Description = description;
        Images = new ImageCache(_podman, time ?? TimeProvider.System);
    }

    public string Description { get; }

    internal ImageCache Images { get; }

    /// <summary>The image <paramref name="source"/> names, pulled unless cached (see <see cref="ImageCache"/>).</summary>
    /// <exception cref="ImagePullException">With the registry's error.</exception>
    public Task<ImageFetch> ImageAsync(ImageSource source, CancellationToken cancellation, TimeSpan? maxAge = null) =>
        Images.GetAsync(source, maxAge ?? DefaultImageMaxAge, cancellation);

    /// <summary>
    /// Runs the container to its end and returns the command's exit status. On cancellation (abort, timeout) the
    /// container is removed and the cancellation rethrown.
    /// </summary>
    /// <exception cref="ContainerException">Podman could not start the command (bad image, missing command, bad mount); the message is podman's.</exception>
    public async Task<int> RunAsync(ContainerSpec spec, ProcessOutput output, CancellationToken cancellation)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        EnsureSentinel();
        var name = $"ferry-{_id}-{Interlocked.Increment(ref _count).ToString(CultureInfo.InvariantCulture)}";
        var (arguments, environment) = Arguments(spec, name);
        var stderr = new ByteTail(8192);
        var watched = new ProcessOutput(output.Stdout, stream => output.Stderr(new TailStream(stream, stderr)));
        var podmanSpec = Podman.Spec(arguments, environment) with { Stdin = spec.Stdin, DrainTimeout = spec.DrainTimeout };
        _record.Add(name);
        var removed = true;
        try
        {
            int exitCode;
            try
            {
                exitCode = await _podman.Processes.RunAsync(podmanSpec, watched, cancellation);
            }
            catch
            {
                // Killing podman run leaves the container running (conmon keeps it): remove it for real.
                removed = await RemoveAsync([name]);
                throw;
            }
            if (PodmanFailed(exitCode, stderr.Text))
            {
                removed = await RemoveAsync([name]);
                throw new ContainerException(Podman.ErrorText(stderr.Text, exitCode), exitCode);
            }
            return exitCode;
        }
        finally
        {
            // A container that could not be removed stays recorded, for the next start.
            if (removed)
                _record.Remove(name);
        }
    }

    /// <summary>Runs to the end keeping stdout as text (past <paramref name="maxStdoutChars"/> read and dropped) and the last lines of stderr.</summary>
    public async Task<CapturedRun> CaptureAsync(ContainerSpec spec, Action<string>? onStderrLine, int maxStdoutChars, CancellationToken cancellation)
    {
        var stdout = new TextCapture(maxStdoutChars);
        var stderr = new LineTail(onStderrLine, 20);
        var exitCode = await RunAsync(spec, new ProcessOutput(stdout.ReadAsync, stderr.ReadAsync), cancellation);
        return new CapturedRun(exitCode, stdout.Text, stderr.Tail, stdout.Truncated);
    }

    /// <summary>
    /// Removes the containers a server that is gone left recorded in <paramref name="recordDirectory"/> (its sentinel
    /// died with it); returns how many still existed. Call it at start.
    /// </summary>
    public static async Task<int> ReapLeftoversAsync(ProcessRunner processes, string recordDirectory, CancellationToken cancellation)
    {
        var names = ContainerRecord.Leftovers(recordDirectory);
        if (names.Count == 0)
            return 0;
        var removal = await new Podman(processes).CaptureAsync(["rm", "--force", "--time", "0", "--ignore", .. names], cancellation);
        if (removal.ExitCode != 0)
            throw new ContainerException($"cannot remove the containers a stopped server left ({string.Join(", ", names)}): {Podman.ErrorText(removal.StderrTail, removal.ExitCode)}", removal.ExitCode);
        ContainerRecord.Forget(recordDirectory, names);
        // podman names what it removed; the sentinel usually removed the rest already.
        return removal.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Length;
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            _sentinel?.Dispose();
            _sentinel = null;
        }
    }

    private void EnsureSentinel()
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _sentinel ??= ContainerSentinel.Start($"{ContainerLabels.Runtime}={_id}");
        }
    }

    private async Task<bool> RemoveAsync(IReadOnlyList<string> names)
    {
        var removal = await _podman.CaptureAsync(["rm", "--force", "--time", "0", "--ignore", .. names], CancellationToken.None);
        return removal.ExitCode == 0;
    }

    /// <summary>
    /// Podman's own failures, not the command's: 125 is podman's error; 126 and 127 are also the command's own
    /// "cannot execute" and "not found", so only with the OCI runtime's message.
    /// </summary>
    private static bool PodmanFailed(int exitCode, string stderr) =>
        exitCode == 125 || (exitCode is 126 or 127 && stderr.Contains("OCI runtime", StringComparison.Ordinal));

    private (List<string> Arguments, Dictionary<string, string> Environment) Arguments(ContainerSpec spec, string name)
    {
        var arguments = new List<string> { "run", "--rm", "--name", name, "--log-driver", "none" };
        var labels = new Dictionary<string, string>(spec.Labels)
        {
            [ContainerLabels.Ferry] = "true",
            [ContainerLabels.Data] = _dataDirectory,
            [ContainerLabels.Runtime] = _id,
            [ContainerLabels.Server] = ContainerLabels.ServerIdentity,
        };
        foreach (var (key, value) in labels)
            arguments.AddRange(["--label", $"{key}={value}"]);
        if (spec.Stdin is not null)
            arguments.Add("--interactive");
        if (spec.Privileged)
            arguments.Add("--privileged");
        if (spec.CpuShares is { } shares)
            arguments.AddRange(["--cpu-shares", shares.ToString(CultureInfo.InvariantCulture)]);
        if (spec.MemoryBytes is { } memory)
            arguments.AddRange(["--memory", memory.ToString(CultureInfo.InvariantCulture)]);
        var rootfs = spec.Image as RootfsImage;
        if ((spec.User ?? rootfs?.User) is { Length: > 0 } user)
            arguments.AddRange(["--user", user]);
        if (spec.WorkingDirectory is not null)
            arguments.AddRange(["--workdir", spec.WorkingDirectory]);
        foreach (var mount in spec.Mounts)
            arguments.AddRange(["--mount", Mount(mount)]);

        // Values travel in podman's environment (`-e NAME` takes them from there), so ps never shows a secret param.
        var environment = Podman.Environment();
        var variables = new Dictionary<string, string>(rootfs?.Environment ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        foreach (var (key, value) in spec.Environment)
            variables[key] = value;
        foreach (var (key, value) in variables)
        {
            if (PodmanOwn.Contains(key))
            {
                arguments.AddRange(["--env", $"{key}={value}"]);
            }
            else
            {
                environment[key] = value;
                arguments.AddRange(["--env", key]);
            }
        }

        if (rootfs is not null)
        {
            arguments.AddRange(["--rootfs", $"{rootfs.Path}:O", spec.Command]);
        }
        else
        {
            var image = (StoredImage)spec.Image;
            arguments.AddRange(["--pull", "never", "--entrypoint", spec.Command, image.Id]);
        }
        arguments.AddRange(spec.Arguments);
        return (arguments, environment);
    }

    private static string Mount(ContainerMount mount)
    {
        if (mount.Source.Contains(',', StringComparison.Ordinal) || mount.Target.Contains(',', StringComparison.Ordinal))
            throw new ContainerException($"cannot mount '{mount.Source}' at '{mount.Target}': a path with a comma cannot be mounted", 125);
        return $"type=bind,source={mount.Source},destination={mount.Target}{(mount.ReadOnly ? ",ro" : "")}";
    }
}

/// <summary>Podman could not run the container (its image, command or mounts); the message is podman's.</summary>
public sealed class ContainerException(string message, int exitCode) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
