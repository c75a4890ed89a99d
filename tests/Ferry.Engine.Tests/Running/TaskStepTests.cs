using System.Diagnostics;
using System.Text.Json.Nodes;
using Ferry.Core.Builds;
using Ferry.Core.Plans;

namespace Ferry.Engine.Tests.Running;

public sealed class TaskStepTests : IDisposable
{
    private readonly RunnerHarness h = new();

    public void Dispose() => h.Dispose();

    [Fact]
    public async Task RunAsync_Succeeds_WhenTaskExitsZero()
    {
        var task = h.Sh("hello", "echo hello; echo oops >&2");

        var result = await h.RunAsync(task);

        result.Status.ShouldBe(BuildStatus.Succeeded);
        h.Sink.Texts(BuildEventType.Status).ShouldBe(["started", "succeeded"]);
        var logs = h.Sink.Events.Where(e => e.Type == BuildEventType.Log).ToList();
        logs.ShouldContain(e => e.Stream == LogStream.Stdout && e.Text == "hello\n" && e.StepId == task.Id);
        logs.ShouldContain(e => e.Stream == LogStream.Stderr && e.Text == "oops\n");
        var finished = h.Sink.Events.Single(e => e.Type == BuildEventType.StepFinished);
        finished.Text.ShouldBe("succeeded");
        finished.Payload!["exit_status"]!.GetValue<int>().ShouldBe(0);
    }

    [Fact]
    public async Task RunAsync_Fails_WhenTaskExitsNonZero()
    {
        var result = await h.RunAsync(h.Sh("bad", "exit 3"));

        result.Status.ShouldBe(BuildStatus.Failed);
        h.Sink.Events.Single(e => e.Type == BuildEventType.StepFinished).Payload!["exit_status"]!.GetValue<int>().ShouldBe(3);
    }

    [Fact]
    public async Task RunAsync_Errors_WhenInputIsMissing()
    {
        var result = await h.RunAsync(h.Sh("needs", "true", inputs: ["repo"]));

        result.Status.ShouldBe(BuildStatus.Errored);
        h.Sink.Texts(BuildEventType.Error).Single().ShouldContain("task 'needs': missing input 'repo'");
    }

    [Fact]
    public async Task RunAsync_Errors_WhenCommandDoesNotExist()
    {
        var task = h.Sh("x", "") with { Config = new TaskPlanConfig { Run = new TaskPlanRun { Path = "no-such-command-ferry" } } };

        var result = await h.RunAsync(task);

        result.Status.ShouldBe(BuildStatus.Errored);
        h.Sink.Texts(BuildEventType.Error).Single().ShouldContain("run.path 'no-such-command-ferry' not found");
    }

    [Fact]
    public async Task RunAsync_FindsTheCommandInThePathItsParamsSet()
    {
        var tools = Directory.CreateTempSubdirectory("ferry-task-tools-").FullName;
        try
        {
            var tool = Path.Combine(tools, "ferry-test-tool");
            await File.WriteAllTextAsync(tool, "#!/bin/sh\necho from the tool\n");
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(tool, UnixFileMode.UserRead | UnixFileMode.UserExecute);
            }
            var task = h.Sh("tool", "") with
            {
                Config = new TaskPlanConfig { Run = new TaskPlanRun { Path = "ferry-test-tool" } },
                Params = new JsonObject { ["PATH"] = $"{tools}:/usr/bin:/bin" },
            };

            var result = await h.RunAsync(task);

            result.Status.ShouldBe(BuildStatus.Succeeded);
            h.Sink.Log(task.Id).ShouldBe("from the tool\n");
        }
        finally
        {
            Directory.Delete(tools, recursive: true);
        }
    }

    [Fact]
    public async Task RunAsync_GivesTaskOnlyParamsPathAndHome_WhenServerHasEnvironment()
    {
        Environment.SetEnvironmentVariable("FERRY_SERVER_ONLY", "leak");
        var task = h.Sh("env", "env | cut -d= -f1 | sort", @params: new JsonObject { ["GREETING"] = "hi", ["COUNT"] = 3 });

        await h.RunAsync(task);

        h.Sink.Log(task.Id).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(n => n is not ("PWD" or "SHLVL" or "_")) // set by sh itself
            .ShouldBe(["COUNT", "GREETING", "HOME", "PATH"]);
    }

    [Fact]
    public async Task RunAsync_PassesOutputsToLaterInputs_WithMappings()
    {
        var make = h.Sh("make", "echo built > out/file", outputs: ["out"]) with { OutputMapping = new Dictionary<string, string> { ["out"] = "binary" } };
        var use = h.Sh("use", "cat in/file; test -d $HOME", inputs: ["in"]) with { InputMapping = new Dictionary<string, string> { ["in"] = "binary" } };

        var result = await h.RunAsync(h.Do(make, use));

        result.Status.ShouldBe(BuildStatus.Succeeded);
        h.Sink.Log(use.Id).ShouldBe("built\n");
    }

    [Fact]
    public async Task RunAsync_RunsInRunDir_WhenDirIsSet()
    {
        var make = h.Sh("make", "mkdir -p src/sub && echo x > src/sub/marker", outputs: ["src"]);
        var use = h.Sh("use", "ls", inputs: ["src"]) with { Config = new TaskPlanConfig { Inputs = [new TaskInput("src")], Run = new TaskPlanRun { Path = "ls", Dir = "src/sub" } } };

        await h.RunAsync(h.Do(make, use));

        h.Sink.Log(use.Id).ShouldBe("marker\n");
    }

    [Fact]
    public async Task RunAsync_LoadsConfigFromArtifact_WhenTaskNamesFile()
    {
        var write = h.Sh("write", """echo '{"run":{"path":"sh","args":["-c","echo from file $P"]},"params":{"P":"one"}}' > ci/task.json""", outputs: ["ci"]);
        var run = new TaskPlan { Id = h.NextId(), Name = "from-file", File = "ci/task.json" };

        var result = await h.RunAsync(h.Do(write, run));

        result.Status.ShouldBe(BuildStatus.Succeeded);
        h.Sink.Log(run.Id).ShouldBe("from file one\n");
    }

    [Fact]
    public async Task RunAsync_Errors_WhenTaskFileIsMissing()
    {
        var result = await h.RunAsync(new TaskPlan { Id = "t", Name = "nofile", File = "ci/task.yml" });

        result.Status.ShouldBe(BuildStatus.Errored);
        h.Sink.Texts(BuildEventType.Error).Single().ShouldBe("task 'nofile': file: 'ci/task.yml': no artifact named 'ci'");
    }

    [Fact]
    public async Task RunAsync_KillsBackgroundChildren_WhenTaskExits()
    {
        var pidFile = Path.Combine(h.Scratch, "pid");
        var started = Stopwatch.StartNew();

        var result = await h.RunAsync(h.Sh("bg", $"sleep 300 & echo $! > {pidFile}; echo done"));

        result.Status.ShouldBe(BuildStatus.Succeeded);
        started.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(20));
        await Processes.ShouldBeGoneAsync(int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture));
    }
}
