using Ferry.EndToEnd.Tests.Harness;
using Ferry.Tests.Containers;

namespace Ferry.EndToEnd.Tests.Containers;

/// <summary>A real <c>ferry server</c> running tasks in containers: what --runtime says, and nothing left after a crash.</summary>
public sealed class ContainerServerTests : IDisposable
{
    private const string Pipeline = """
        jobs:
          - name: sleeper
            plan:
              - task: sleep
                config:
                  platform: linux
                  image_resource: { type: registry-image, source: { repository: ((repository)), tag: "1" } }
                  run: { path: sh, args: [-c, "echo started in $(cat /etc/hostname); sleep 300"] }
        """;

    private readonly string _scratch = Directory.CreateTempSubdirectory("ferry-e2e-containers-").FullName;

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    [ContainerFact]
    public async Task Kill_WhileATaskRunsInAContainer_LeavesNoContainer()
    {
        await using var registry = await TestRegistry.StartAsync();
        var repository = await registry.PushBusyboxAsync("busybox", "1");
        await using var server = await FerryServer.StartAsync(arguments: ["--runtime", "container"]);
        using var api = server.NewApi();
        var file = Path.Combine(_scratch, "pipeline.yml");
        await File.WriteAllTextAsync(file, Pipeline);
        (await server.CliAsync("set-pipeline", "-p", "sleepy", "-c", file, "-v", $"repository={repository}", "--yes")).ExitCode.ShouldBe(0);

        (await server.CliAsync("trigger", "-j", "sleepy/sleeper")).ExitCode.ShouldBe(0);
        long buildId = 0;
        await FerryApi.EventuallyAsync(async () =>
        {
            buildId = (await api.BuildsAsync("sleepy", "sleeper")).FirstOrDefault() is { } build ? (long)build["id"]! : 0;
            return buildId > 0;
        }, "the build to start", server);
        (await api.StreamShowsAsync(buildId, "started in", TimeSpan.FromSeconds(60))).ShouldBeTrue(server.Log);
        (await ContainerTools.FerryContainersAsync(server.DataDirectory)).Count.ShouldBe(1);

        await server.KillAsync();

        await ContainerTools.NoContainersLeftAsync(server.DataDirectory);
        server.Log.ShouldContain("tasks run in containers (podman ");
    }

    [Fact]
    public async Task Server_WithRuntimeProcess_ErrorsATaskThatNamesAnImage_NamingTaskAndImage()
    {
        await using var server = await FerryServer.StartAsync(arguments: ["--runtime", "process"]);
        var file = Path.Combine(_scratch, "pipeline.yml");
        await File.WriteAllTextAsync(file, Pipeline);
        (await server.CliAsync("set-pipeline", "-p", "sleepy", "-c", file, "-v", "repository=127.0.0.1:9/busybox", "--yes")).ExitCode.ShouldBe(0);

        var run = await server.CliAsync("trigger", "-j", "sleepy/sleeper", "--watch");

        run.ExitCode.ShouldBe(1, run.ToString());
        (run.Output + run.Error).ShouldContain("task 'sleep' names an image (registry-image 127.0.0.1:9/busybox:1), and this server runs no containers (--runtime process");
        server.Log.ShouldContain("tasks run in processes (--runtime process)");
    }
}
