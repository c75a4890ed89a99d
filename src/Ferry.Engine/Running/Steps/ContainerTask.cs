using System.Globalization;
using System.Text.Json.Nodes;
using Ferry.Core.Plans;
using Ferry.Engine.Containers;
using Ferry.Engine.Processes;

namespace Ferry.Engine.Running.Steps;

/// <summary>
/// A task in its image, as Concourse runs it: the task's directory mounted at <c>/tmp/build/&lt;id&gt;</c> with each
/// input mounted at its path, the working directory there (or <c>run.dir</c> under it), <c>params</c> as
/// environment on top of the image's, <c>run.user</c>, <c>privileged</c> and <c>container_limits</c>. Nothing else of
/// the host is visible: not the data directory, not other builds, not the server's environment.
/// </summary>
internal sealed record ContainerTask(StepContext Context, TaskPlan Plan, TaskPlanConfig Config, TaskWorkspace Workspace, string Directory, string What)
{
    private const UnixFileMode Everyone = (UnixFileMode)0b111_111_111;

    public static async Task<int> RunAsync(ContainerTask task, TaskImage image, StepLog log, ProcessOutput output, JsonObject finished, CancellationToken cancellation)
    {
        var options = task.Context.Build.Options;
        var containers = options.Containers ?? throw new InvalidOperationException("a container task needs the container runtime");
        var resolved = await image.ResolveAsync(containers, log, task.What, cancellation);
        finished["image"] = resolved.Description;
        try
        {
            return await containers.RunAsync(task.Spec(resolved, options.DrainTimeout), output, cancellation);
        }
        catch (ContainerException e)
        {
            throw new StepException($"{task.What}: in image {image.Description}: {e.Message}", e);
        }
    }

    private ContainerSpec Spec(ContainerImage image, TimeSpan drainTimeout)
    {
        var root = $"/tmp/build/{Guid.NewGuid().ToString("N")[..8]}";
        OpenToAnyUser();
        var environment = new Dictionary<string, string>(Context.Build.Request.TaskEnvironment, StringComparer.Ordinal);
        foreach (var (name, value) in Config.Params.Concat(Plan.Params))
        {
            environment[name] = LocalVars.AsText(value);
        }
        var limits = Config.ContainerLimits;
        return new ContainerSpec(image, Config.Run.Path, Config.Run.Args)
        {
            WorkingDirectory = Config.Run.Dir is null ? root : $"{root}/{Paths.Relative(Config.Run.Dir, $"{What}: run.dir")}",
            Environment = environment,
            Mounts = [new ContainerMount(Directory, root), .. Workspace.Inputs.Select(i => new ContainerMount(i.Source, $"{root}/{i.RelativePath}"))],
            User = Config.Run.User,
            Privileged = Plan.Privileged,
            CpuShares = limits?.Cpu,
            MemoryBytes = limits?.Memory,
            Labels = new Dictionary<string, string> { [ContainerLabels.Build] = Context.Build.Request.BuildId.ToString(CultureInfo.InvariantCulture) },
            DrainTimeout = drainTimeout,
        };
    }

    /// <summary>
    /// The image's user is often not root (and <c>run.user</c> may name another): the task's directory, outputs and
    /// caches must be writable by whoever it runs as. The data directory around them stays the server's alone.
    /// </summary>
    private void OpenToAnyUser()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // no containers there
        }
        File.SetUnixFileMode(Directory, Everyone);
        foreach (var path in System.IO.Directory.EnumerateDirectories(Directory, "*", SearchOption.AllDirectories)
                     .Where(d => !Workspace.Inputs.Any(i => d == Path.Combine(Directory, i.RelativePath))))
        {
            File.SetUnixFileMode(path, Everyone);
        }
    }
}
