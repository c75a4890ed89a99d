using System.Text.Json.Nodes;
using Ferry.Core.Builds;
using Ferry.Core.Plans;
using Ferry.Engine.Processes;

namespace Ferry.Engine.Running.Steps;

/// <summary>
/// Runs a task: in its image when it names one and the server runs containers (<see cref="ContainerTask"/>), else as a
/// process with its inputs linked in at their paths; outputs are created empty and registered after it ends.
/// </summary>
internal sealed class TaskExecutor(TaskPlan taskPlan) : ILeafStep
{
    public async Task<StepOutcome> RunAsync(StepContext context, StepLog log, JsonObject finished, CancellationToken cancellation)
    {
        var what = $"task '{taskPlan.Name}'";
        var plan = context.Vars.Resolve(taskPlan, what);
        var config = LoadConfig(context, plan, what);
        if (string.IsNullOrWhiteSpace(config.Run.Path))
        {
            throw new StepException($"{what}: config.run.path is empty");
        }
        var options = context.Build.Options;
        TaskImage? image = null;
        if (TaskImage.Describe(plan, config) is { } named && options.Containers is null)
        {
            // An image's task on the host would run the host's tools as the server's user: never without being asked.
            if (!options.ImageTasksOnHost)
            {
                throw new StepException($"{what} names an image ({named}), and this server runs no containers (--runtime process, or auto " +
                    "where podman does not work): a task that names an image does not run on the host. Start the server with --runtime container, or " +
                    "with --allow-image-tasks-on-host to run such tasks on the host");
            }
            await context.Build.Events.WarningAsync(plan.Id, $"{what}: image {named} ignored: --allow-image-tasks-on-host runs the task on the host");
        }
        else
        {
            image = TaskImage.Of(plan, config, context.Artifacts, what);
        }

        var directory = context.Build.NewDirectory();
        var workspace = TaskWorkspace.Prepare(directory, config, plan, context.Artifacts, what, linkInputs: image is null);
        var output = new ProcessOutput(stdout => log.PumpAsync(stdout, LogStream.Stdout), stderr => log.PumpAsync(stderr, LogStream.Stderr));
        int exitStatus;
        try
        {
            exitStatus = image is null
                ? await RunProcessAsync(context, plan, config, directory, output, what, cancellation)
                : await ContainerTask.RunAsync(new ContainerTask(context, plan, config, workspace, directory, what), image, log, output, finished, cancellation);
        }
        finally
        {
            // Concourse keeps a task's outputs even when it fails or is interrupted, for hooks to look at.
            workspace.RegisterOutputs(context.Artifacts);
        }
        finished["exit_status"] = exitStatus;
        return exitStatus == 0 ? StepOutcome.Succeeded : StepOutcome.Failed;
    }

    private static async Task<int> RunProcessAsync(StepContext context, TaskPlan plan, TaskPlanConfig config, string directory, ProcessOutput output, string what, CancellationToken cancellation)
    {
        var workingDirectory = config.Run.Dir is null ? directory : Path.Combine(directory, Paths.Relative(config.Run.Dir, $"{what}: run.dir"));
        if (config.Run.Dir is not null && !Directory.Exists(workingDirectory))
        {
            throw new StepException($"{what}: run.dir '{config.Run.Dir}' does not exist in the task's directory");
        }
        var options = context.Build.Options;
        var environment = Environment(context, config, plan);
        var spec = new ProcessSpec(config.Run.Path, config.Run.Args, workingDirectory, environment)
        {
            // Looked up as the task will see it: in its PATH, which its params may set.
            Executable = Locate(config.Run.Path, workingDirectory, environment["PATH"], what),
            DrainTimeout = options.DrainTimeout,
        };
        return await options.Processes.RunAsync(spec, output, cancellation);
    }

    private static TaskPlanConfig LoadConfig(StepContext context, TaskPlan plan, string what)
    {
        if (plan.Config is not null)
        {
            return plan.Config;
        }
        if (plan.File is null)
        {
            throw new StepException($"{what}: needs config or file");
        }
        var source = context.Build.Request.TaskConfigs ?? throw new StepException($"{what}: file '{plan.File}': no task config loader is configured");
        var path = context.Artifacts.ResolveFile(plan.File, $"{what}: file");
        try
        {
            return source.Load(path, plan.File, plan.Vars);
        }
        catch (Exception e) when (e is not StepException)
        {
            throw new StepException($"{what}: file '{plan.File}': {e.Message}", e);
        }
    }

    /// <summary>Only PATH, HOME, the build's task environment and the params: nothing of the server's environment reaches a task.</summary>
    private static Dictionary<string, string> Environment(StepContext context, TaskPlanConfig config, TaskPlan plan)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["PATH"] = context.Build.Options.TaskPath,
            ["HOME"] = context.Build.Home,
        };
        foreach (var (name, value) in context.Build.Request.TaskEnvironment)
        {
            environment[name] = value;
        }
        foreach (var (name, value) in config.Params.Concat(plan.Params))
        {
            environment[name] = LocalVars.AsText(value);
        }
        return environment;
    }

    /// <summary>A missing command (or one that may not be run) is the task's config at fault (errored), not the task failing.</summary>
    private static string Locate(string command, string workingDirectory, string path, string what)
    {
        try
        {
            return ProcessLauncher.Locate(command, workingDirectory, path);
        }
        catch (CommandNotRunException e)
        {
            var where = command.Contains('/', StringComparison.Ordinal) ? "" : " in PATH";
            throw new StepException(e.ExitStatus == 127 ? $"{what}: run.path '{command}' not found{where}" : $"{what}: run.path '{command}'{where}: {e.Reason}", e);
        }
    }
}
