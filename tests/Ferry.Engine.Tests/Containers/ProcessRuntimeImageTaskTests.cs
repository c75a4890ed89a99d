using System.Text.Json.Nodes;
using Ferry.Core.Builds;
using Ferry.Core.Plans;
using Ferry.Engine.Running;
using Ferry.Engine.Tests.Running;

namespace Ferry.Engine.Tests.Containers;

/// <summary>Without containers a task that names an image never runs on the host unless the server allows it.</summary>
public sealed class ProcessRuntimeImageTaskTests : IDisposable
{
    private readonly RunnerHarness h = new();

    public void Dispose() => h.Dispose();

    private TaskPlan ImageTask(string marker) => h.Sh("in-image", $"touch {marker}") with
    {
        Config = h.Sh("x", $"touch {marker}").Config! with
        {
            ImageResource = new TaskPlanImageResource { Type = "registry-image", Source = new JsonObject { ["repository"] = "golang", ["tag"] = "1.22" } },
        },
    };

    [Fact]
    public async Task Task_Errors_NamingTaskAndImage_WhenServerRunsNoContainers()
    {
        var marker = Path.Combine(h.Scratch, "ran");

        var result = await h.RunAsync(ImageTask(marker));

        result.Status.ShouldBe(BuildStatus.Errored);
        h.Sink.Texts(BuildEventType.Error).Single().ShouldStartWith(
            "task 'in-image' names an image (registry-image golang:1.22), and this server runs no containers (--runtime process, or auto where podman does not work)");
        File.Exists(marker).ShouldBeFalse("the task never ran on the host");
    }

    [Fact]
    public async Task Task_RunsOnTheHostWithAWarning_WhenTheServerAllowsIt()
    {
        var marker = Path.Combine(h.Scratch, "ran");
        h.Options = new RunnerOptions { ImageTasksOnHost = true };

        var result = await h.RunAsync(ImageTask(marker));

        result.Status.ShouldBe(BuildStatus.Succeeded);
        h.Sink.Texts(BuildEventType.Warning).Single().ShouldBe("task 'in-image': image registry-image golang:1.22 ignored: --allow-image-tasks-on-host runs the task on the host");
        File.Exists(marker).ShouldBeTrue();
    }

    [Fact]
    public async Task Task_Errors_NamingTheImageArtifact_WhenServerRunsNoContainers()
    {
        var task = h.Sh("in-artifact", "true") with { Image = "built-image" };

        var result = await h.RunAsync(task);

        result.Status.ShouldBe(BuildStatus.Errored);
        h.Sink.Texts(BuildEventType.Error).Single().ShouldStartWith("task 'in-artifact' names an image (artifact 'built-image'), and this server runs no containers");
    }
}
