using System.Diagnostics;
using System.Text.Json.Nodes;
using Ferry.Core.Plans;
using Ferry.Engine.Containers;
using Ferry.Engine.Processes;
using Ferry.Engine.Running;
using Ferry.Engine.Tests.Running;

namespace Ferry.Engine.Tests.Containers;

/// <summary>A <see cref="RunnerHarness"/> whose builds run tasks that name an image in containers, labelled with its root.</summary>
internal sealed class ContainerHarness : IAsyncDisposable
{
    public ContainerHarness()
    {
        Runner = new RunnerHarness();
        Containers = new ContainerRuntime(new ProcessRunner(), Runner.Root, Path.Combine(Runner.Root, "containers"));
        Runner.Options = new RunnerOptions { Containers = Containers };
    }

    public RunnerHarness Runner { get; }

    public ContainerRuntime Containers { get; }

    /// <summary>A task in <paramref name="repository"/>:<paramref name="tag"/> running <c>sh -c script</c>.</summary>
    public TaskPlan InImage(string name, string repository, string script, string tag = "1", string[]? inputs = null, string[]? outputs = null,
        JsonObject? @params = null, string? dir = null, string? user = null, ContainerLimits? limits = null, bool privileged = false) => new()
    {
        Id = Runner.NextId(),
        Name = name,
        Params = @params ?? [],
        Privileged = privileged,
        Config = new TaskPlanConfig
        {
            ImageResource = new TaskPlanImageResource { Type = "registry-image", Source = new JsonObject { ["repository"] = repository, ["tag"] = tag } },
            Inputs = [.. (inputs ?? []).Select(i => new TaskInput(i))],
            Outputs = [.. (outputs ?? []).Select(o => new TaskOutput(o))],
            Run = new TaskPlanRun { Path = "sh", Args = ["-c", script], Dir = dir, User = user },
            ContainerLimits = limits,
        },
    };

    /// <summary>What the step printed on stdout (the pull of its image is reported on stderr).</summary>
    public string Stdout(string stepId) => string.Concat(Runner.Sink.Events
        .Where(e => e.Type == Core.Builds.BuildEventType.Log && e.StepId == stepId && e.Stream == Core.Builds.LogStream.Stdout)
        .Select(e => e.Text));

    /// <summary>Waits until the build's log shows <paramref name="text"/>.</summary>
    public async Task LogShowsAsync(string text)
    {
        var deadline = Stopwatch.StartNew();
        while (!Runner.Sink.Log().Contains(text, StringComparison.Ordinal))
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(60))
                throw new TimeoutException($"the log never showed '{text}':\n{Runner.Sink.Log()}");
            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Every test leaves nothing behind: checked here, after each.
        await Ferry.Tests.Containers.ContainerTools.NoContainersLeftAsync(Runner.Root);
        Containers.Dispose();
        Runner.Dispose();
    }
}
