using System.Text.Json.Nodes;
using Ferry.Core.Builds;
using Ferry.Core.Plans;
using Ferry.Engine.Running;
using Ferry.Engine.Tests.Running;
using Ferry.Tests.Containers;

namespace Ferry.Engine.Tests.Containers;

/// <summary>Tasks that name an image run in it with podman, from images a local registry holds.</summary>
[Collection(ContainerCollection.Name)]
public sealed class ContainerTaskTests(ContainerImages images) : IAsyncLifetime
{
    private readonly ContainerHarness h = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await h.DisposeAsync();

    [ContainerFact]
    public async Task Task_SeesItsImagesFile_AndNeitherTheHostsRootNorTheDataDirectory_WithANetwork()
    {
        var hostOnly = $"/root/ferry-host-only-{Guid.NewGuid():N}";
        await File.WriteAllTextAsync(hostOnly, "host");
        try
        {
            var script = $"cat /etc/ferry-marker; test ! -e {hostOnly} && echo no-host-root; test ! -e {h.Runner.Root} && echo no-data-directory; " +
                         "test -e /sys/class/net/eth0 && echo network";

            var result = await h.Runner.RunAsync(h.InImage("look", images.Busybox, script));

            result.Status.ShouldBe(BuildStatus.Succeeded, h.Runner.Sink.Log());
            h.Runner.Sink.Log().ShouldContain($"{ContainerImages.Marker}\nno-host-root\nno-data-directory\nnetwork\n");
        }
        finally
        {
            File.Delete(hostOnly);
        }
    }

    [ContainerFact]
    public async Task Task_GetsParamsAsEnvironment_AndRunsInRunDirAsRunUser()
    {
        var make = h.InImage("make", images.Busybox, "mkdir -p app/sub && echo data > app/sub/file", outputs: ["app"]);
        var use = h.InImage("use", images.Busybox, "echo \"$GREETING|$(id -u)|$(pwd)|$(cat file)\"; echo out > ../../result/written",
            inputs: ["app"], outputs: ["result"], @params: new JsonObject { ["GREETING"] = "hello there" }, dir: "app/sub", user: "65534");

        var result = await h.Runner.RunAsync(h.Runner.Do(make, use));

        result.Status.ShouldBe(BuildStatus.Succeeded, h.Runner.Sink.Log());
        h.Stdout(use.Id).ShouldMatch(@"^hello there\|65534\|/tmp/build/[0-9a-f]{8}/app/sub\|data\n$");
    }

    [ContainerFact]
    public async Task Task_HasItsMemoryAndCpuLimits_AndAllCapabilitiesOnlyWhenPrivileged()
    {
        const string script = "cat /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/cpu/cpu.shares; grep CapEff /proc/self/status";
        var limited = h.InImage("limited", images.Busybox, script, limits: new ContainerLimits(Cpu: 512, Memory: 64 * 1024 * 1024));
        var privileged = h.InImage("privileged", images.Busybox, "grep CapEff /proc/self/status", privileged: true);

        var result = await h.Runner.RunAsync(h.Runner.Do(limited, privileged));

        result.Status.ShouldBe(BuildStatus.Succeeded, h.Runner.Sink.Log());
        var lines = h.Stdout(limited.Id).Split('\n');
        lines[0].ShouldBe("67108864");
        lines[1].ShouldBe("512");
        var unprivileged = Capabilities(lines[2]);
        var all = Capabilities(h.Stdout(privileged.Id));
        (all & unprivileged).ShouldBe(unprivileged);
        all.ShouldBeGreaterThan(unprivileged, "a privileged task has every capability, far more than podman's default set");
    }

    private static ulong Capabilities(string line) =>
        ulong.Parse(line.Split(':')[1].Trim(), System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);

    [ContainerFact]
    public async Task Task_PullsItsImageOnce_WhenTwoTasksNameIt()
    {
        var first = h.InImage("first", images.Busybox, "true");
        var second = h.InImage("second", images.Busybox, "true");

        var result = await h.Runner.RunAsync(h.Runner.Do(first, second));

        result.Status.ShouldBe(BuildStatus.Succeeded, h.Runner.Sink.Log());
        h.Runner.Sink.Log(first.Id).ShouldStartWith($"pulled image {images.Busybox}:1@sha256:");
        h.Runner.Sink.Log(second.Id).ShouldBeEmpty();
        var finished = h.Runner.Sink.Events.Single(e => e.Type == BuildEventType.StepFinished && e.StepId == second.Id);
        ((string)finished.Payload!["image"]!).ShouldStartWith($"{images.Busybox}:1@sha256:");
    }

    [ContainerFact]
    public async Task Task_RunsInAnImageArtifact_WithItsMetadataEnvironment_LeavingTheArtifactAsItWas()
    {
        var build = h.InImage("build-image", images.Busybox,
            "mkdir -p image/rootfs/etc && cp -a /bin image/rootfs/ && echo made-by-a-task > image/rootfs/etc/made && chown 65534 image/rootfs/etc/made && " +
            "echo '{\"env\": [\"FROM_METADATA=yes\"], \"user\": \"65534\"}' > image/metadata.json",
            outputs: ["image"]);
        var run = new TaskPlan
        {
            Id = h.Runner.NextId(),
            Name = "in-artifact",
            Image = "image",
            Config = new TaskPlanConfig { Run = new TaskPlanRun { Path = "sh", Args = ["-c", "cat /etc/made; echo $FROM_METADATA $(id -u); echo scribble > /etc/made"] } },
        };

        var result = await h.Runner.RunAsync(h.Runner.Do(build, run));

        result.Status.ShouldBe(BuildStatus.Succeeded, h.Runner.Sink.Log());
        h.Stdout(run.Id).ShouldBe("made-by-a-task\nyes 65534\n");
        var artifactFile = Directory.GetFiles(h.Runner.Root, "made", SearchOption.AllDirectories).Single();
        File.ReadAllText(artifactFile).ShouldBe("made-by-a-task\n", "the container wrote to an overlay, not to the artifact");
    }

    [ContainerFact]
    public async Task Task_Errors_WithTheRegistrysError_WhenItsImageCannotBePulled()
    {
        var result = await h.Runner.RunAsync(h.InImage("missing", $"{images.Registry.Host}/no-such-image", "true"));

        result.Status.ShouldBe(BuildStatus.Errored);
        var error = h.Runner.Sink.Texts(BuildEventType.Error).Single();
        error.ShouldStartWith($"task 'missing': cannot pull image {images.Registry.Host}/no-such-image:1: ");
        error.ShouldContain("manifest unknown");
    }

    [ContainerFact]
    public async Task Task_Errors_WhenRunPathIsNotInTheImage()
    {
        var task = h.InImage("no-command", images.Busybox, "");
        task = task with { Config = task.Config! with { Run = new TaskPlanRun { Path = "no-such-command" } } };

        var result = await h.Runner.RunAsync(task);

        result.Status.ShouldBe(BuildStatus.Errored);
        h.Runner.Sink.Texts(BuildEventType.Error).Single().ShouldContain("\"no-such-command\": executable file not found");
    }

    [ContainerFact]
    public async Task Abort_RemovesTheRunningContainer()
    {
        using var abort = new CancellationTokenSource();

        var run = h.Runner.RunAsync(h.InImage("sleeper", images.Busybox, "echo started; sleep 300"), abort.Token);
        await h.LogShowsAsync("started");
        var container = (await ContainerTools.FerryContainersAsync(h.Runner.Root)).ShouldHaveSingleItem();
        var rootfs = (await ContainerTools.RunAsync("podman", "inspect", "--format", "{{.GraphDriver.Data.MergedDir}}", container)).Trim();
        File.ReadAllText("/proc/mounts").ShouldContain($" {rootfs} ", customMessage: "the running container's root filesystem is mounted");
        await abort.CancelAsync();
        var result = await run;

        result.Status.ShouldBe(BuildStatus.Aborted);
        (await ContainerTools.FerryContainersAsync(h.Runner.Root)).ShouldBeEmpty();
        File.ReadAllText("/proc/mounts").ShouldNotContain($" {rootfs} ", customMessage: "nothing is left mounted");
    }

    [ContainerFact]
    public async Task Task_Params_NeverAppearOnACommandLine()
    {
        var secret = $"secret-{Guid.NewGuid():N}";
        using var abort = new CancellationTokenSource();

        var run = h.Runner.RunAsync(h.InImage("secretive", images.Busybox, "echo started $(echo $TOKEN | wc -c); sleep 300", @params: new JsonObject { ["TOKEN"] = secret }), abort.Token);
        await h.LogShowsAsync("started 40");
        var commandLines = Directory.EnumerateDirectories("/proc").Select(d => Path.Combine(d, "cmdline")).Select(ReadOrEmpty).ToList();
        await abort.CancelAsync();
        await run;

        commandLines.ShouldContain(c => c.Contains("podman\0run", StringComparison.Ordinal), "podman runs the task");
        commandLines.ShouldNotContain(c => c.Contains(secret, StringComparison.Ordinal));
    }

    private static string ReadOrEmpty(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }

    [ContainerFact]
    public async Task Timeout_RemovesTheRunningContainer_AndFails()
    {
        var plan = new TimeoutPlan { Id = "t", Duration = TimeSpan.FromSeconds(3), Step = h.InImage("sleeper", images.Busybox, "echo started; sleep 300") };

        var result = await h.Runner.RunAsync(plan);

        result.Status.ShouldBe(BuildStatus.Failed);
        h.Runner.Sink.Log().ShouldContain("started");
        (await ContainerTools.FerryContainersAsync(h.Runner.Root)).ShouldBeEmpty();
    }
}
