using System.Text.Json.Nodes;
using Ferry.Core.Builds;
using Ferry.Core.Plans;
using Ferry.Engine.Processes;

namespace Ferry.Engine.Running.Steps;

/// <summary>Runs a task as a process: inputs linked in at their paths, outputs created empty and registered after it ends.</summary>
internal sealed class TaskExecutor(TaskPlan taskPlan) : ILeafStep
{
    public async Task<StepOutcome> RunAsync(StepContext context, StepLog log, JsonObject finished, CancellationToken cancellation)
    {
        var what = $"task '{taskPlan.Name}'";
        var plan = context.Vars.Resolve(taskPlan, what);
        var config = LoadConfig(context, plan, what);
        var events = context.Build.Events;
        if (plan.Image is not null || config.ImageResource is not null)
        {
            var image = plan.Image ?? $"image_resource of type '{config.ImageResource!.Type}'";
            await events.WarningAsync(plan.Id, $"{what}: image {image} ignored: the process runtime runs the task directly on the worker");
        }
        if (string.IsNullOrWhiteSpace(config.Run.Path))
        {
            throw new StepException($"{what}: config.run.path is empty");
        }

        var directory = context.Build.NewDirectory(plan.Name);
        var workspace = TaskWorkspace.Prepare(directory, config, plan, context.Artifacts, what);
        var workingDirectory = config.Run.Dir is null ? directory : Path.Combine(directory, Paths.Relative(config.Run.Dir, $"{what}: run.dir"));
        if (!Directory.Exists(workingDirectory))
        {
            throw new StepException($"{what}: run.dir '{config.Run.Dir}' does not exist in the task's directory");
        }
        var options = context.Build.Options;
        var spec = new ProcessSpec(ResolveCommand(config.Run.Path, workingDirectory, options.TaskPath, what), config.Run.Args, workingDirectory, Environment(context, config, plan))
        {
            DrainTimeout = options.DrainTimeout,
        };
        var output = new ProcessOutput(stdout => log.PumpAsync(stdout, LogStream.Stdout), stderr => log.PumpAsync(stderr, LogStream.Stderr));

        int exitStatus;
        try
        {
            exitStatus = await options.Processes.RunAsync(spec, output, cancellation);
        }
        finally
        {
            // Concourse keeps a task's outputs even when it fails or is interrupted, for hooks to look at.
            workspace.RegisterOutputs(context.Artifacts);
        }
        finished["exit_status"] = exitStatus;
        return exitStatus == 0 ? StepOutcome.Succeeded : StepOutcome.Failed;
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

    /// <summary>A missing command is the task's config at fault (errored), not the task failing.</summary>
    private static string ResolveCommand(string command, string workingDirectory, string path, string what)
    {
        if (command.Contains('/', StringComparison.Ordinal))
        {
            var full = Path.Combine(workingDirectory, command);
            return File.Exists(full) ? command : throw new StepException($"{what}: run.path '{command}' not found");
        }
        return path.Split(':', StringSplitOptions.RemoveEmptyEntries).Any(d => File.Exists(Path.Combine(d, command)))
            ? command
            : throw new StepException($"{what}: run.path '{command}' not found in PATH");
    }
}
