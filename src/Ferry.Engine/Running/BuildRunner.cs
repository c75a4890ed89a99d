using Ferry.Core.Builds;

namespace Ferry.Engine.Running;

/// <summary>Runs a build's plan on the embedded worker: the entry point of the runner.</summary>
public sealed class BuildRunner(RunnerOptions? options = null)
{
    private readonly RunnerOptions options = options ?? new RunnerOptions();

    /// <summary>
    /// Runs the plan to its end and reports how it ended. Cancelling <paramref name="abort"/> aborts the build:
    /// running processes die with their whole tree, then ensure and on_abort hooks run.
    /// </summary>
    public async Task<BuildResult> RunAsync(BuildRequest request, CancellationToken abort)
    {
        var build = new RunningBuild(request, options);
        build.Events.Redactor = build.Redactor;
        Directory.CreateDirectory(request.WorkRoot);
        Directory.CreateDirectory(build.Home);
        await build.Events.WriteAsync(BuildEventType.Status, text: "started");

        StepOutcome outcome;
        try
        {
            var root = StepFactory.Create(request.Plan);
            outcome = await root.RunAsync(new StepContext(build, new ArtifactScope(), new LocalVars()), abort);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await build.Events.ErrorAsync(null, $"build {request.BuildId}: {e.Message}");
            outcome = StepOutcome.Errored;
        }
        catch (OperationCanceledException)
        {
            outcome = StepOutcome.Aborted;
        }
        if (abort.IsCancellationRequested && outcome != StepOutcome.Succeeded)
        {
            outcome = StepOutcome.Aborted;
        }

        var status = outcome switch
        {
            StepOutcome.Succeeded => BuildStatus.Succeeded,
            StepOutcome.Failed => BuildStatus.Failed,
            StepOutcome.Aborted => BuildStatus.Aborted,
            _ => BuildStatus.Errored,
        };
        // Nothing is still being made under the work root when the caller removes it.
        await build.Directories.SettleAsync();
        await build.Events.WriteAsync(BuildEventType.Status, text: status.ToString().ToLowerInvariant());
        return new BuildResult(status, [.. build.Gets], [.. build.Puts]);
    }
}
