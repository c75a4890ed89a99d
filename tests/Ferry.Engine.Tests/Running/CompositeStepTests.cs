using System.Diagnostics;
using Ferry.Core.Builds;
using Ferry.Core.Plans;

namespace Ferry.Engine.Tests.Running;

public sealed class CompositeStepTests : IDisposable
{
    private readonly RunnerHarness h = new();

    public void Dispose() => h.Dispose();

    [Fact]
    public async Task Do_StopsAtFirstFailure_WhenAStepFails()
    {
        var second = h.Sh("second", "exit 1");
        var third = h.Sh("third", "echo never");

        var result = await h.RunAsync(h.Do(h.Sh("first", "true"), second, third));

        result.Status.ShouldBe(BuildStatus.Failed);
        h.Sink.Events.ShouldNotContain(e => e.StepId == third.Id);
    }

    [Fact]
    public async Task Try_Succeeds_WhenItsStepFailsOrErrors()
    {
        var plan = h.Do(
            new TryPlan { Id = "try1", Step = h.Sh("fails", "exit 1") },
            new TryPlan { Id = "try2", Step = h.Sh("errors", "true", inputs: ["missing"]) },
            h.Sh("after", "echo after"));

        var result = await h.RunAsync(plan);

        result.Status.ShouldBe(BuildStatus.Succeeded);
        h.Sink.Log().ShouldContain("after");
    }

    [Fact]
    public async Task InParallel_RunsAtMostLimit_WhenLimitIsSet()
    {
        var lockDir = Path.Combine(h.Scratch, "lock");
        var steps = Enumerable.Range(0, 3).Select(i => (PlanNode)h.Sh($"p{i}", $"mkdir {lockDir} || exit 1; sleep 0.2; rmdir {lockDir}")).ToList();

        var limited = await h.RunAsync(new InParallelPlan { Id = "par", Steps = steps, Limit = 1 });
        var unlimited = await h.RunAsync(new InParallelPlan { Id = "par2", Steps = steps });

        limited.Status.ShouldBe(BuildStatus.Succeeded);
        unlimited.Status.ShouldBe(BuildStatus.Failed);
    }

    [Fact]
    public async Task InParallel_CancelsSiblings_WhenFailFastAndOneFails()
    {
        var slow = h.Sh("slow", "sleep 30");
        var clock = Stopwatch.StartNew();

        var result = await h.RunAsync(new InParallelPlan { Id = "par", Steps = [slow, h.Sh("fast", "sleep 0.2; exit 1")], FailFast = true });

        result.Status.ShouldBe(BuildStatus.Failed);
        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(15));
        h.Sink.Events.Single(e => e.StepId == slow.Id && e.Type == BuildEventType.StepFinished).Text.ShouldBe("aborted");
    }

    [Fact]
    public async Task Retry_RunsAgain_UntilFlakyTaskSucceeds()
    {
        var counter = Path.Combine(h.Scratch, "count");
        var flaky = h.Sh("flaky", $"n=$(($(cat {counter} 2>/dev/null || echo 0) + 1)); echo $n > {counter}; [ $n -ge 3 ]");

        var result = await h.RunAsync(new RetryPlan { Id = "r", Attempts = 5, Step = flaky });

        result.Status.ShouldBe(BuildStatus.Succeeded);
        File.ReadAllText(counter).Trim().ShouldBe("3");
    }

    [Fact]
    public async Task Retry_Fails_WhenAttemptsRunOut()
    {
        var counter = Path.Combine(h.Scratch, "count");
        var flaky = h.Sh("flaky", $"echo x >> {counter}; exit 1");

        var result = await h.RunAsync(new RetryPlan { Id = "r", Attempts = 2, Step = flaky });

        result.Status.ShouldBe(BuildStatus.Failed);
        File.ReadAllLines(counter).Length.ShouldBe(2);
    }

    [Theory]
    [InlineData("exit 0", "success,ensure", BuildStatus.Succeeded)]
    [InlineData("exit 1", "failure,ensure", BuildStatus.Failed)]
    [InlineData("missing", "error,ensure", BuildStatus.Errored)]
    public async Task Hooks_RunAsConcourse_ForEachOutcome(string script, string expected, BuildStatus status)
    {
        var trail = Path.Combine(h.Scratch, "trail");
        var step = script == "missing" ? h.Sh("main", "true", inputs: ["missing"]) : h.Sh("main", script);
        PlanNode Mark(string word) => h.Sh(word, $"echo {word} >> {trail}");
        PlanNode plan = new OnSuccessPlan { Id = "h1", Step = step, Hook = Mark("success") };
        plan = new OnFailurePlan { Id = "h2", Step = plan, Hook = Mark("failure") };
        plan = new OnErrorPlan { Id = "h3", Step = plan, Hook = Mark("error") };
        plan = new OnAbortPlan { Id = "h4", Step = plan, Hook = Mark("abort") };
        plan = new EnsurePlan { Id = "h5", Step = plan, Hook = Mark("ensure") };

        var result = await h.RunAsync(plan);

        result.Status.ShouldBe(status);
        string.Join(",", File.ReadAllLines(trail)).ShouldBe(expected);
    }

    [Fact]
    public async Task OnSuccess_FailsBuild_WhenHookFails()
    {
        var result = await h.RunAsync(new OnSuccessPlan { Id = "h", Step = h.Sh("ok", "true"), Hook = h.Sh("hook", "exit 1") });

        result.Status.ShouldBe(BuildStatus.Failed);
    }

    [Fact]
    public async Task Across_RunsStepPerValue_WithLocalVars()
    {
        var outFile = Path.Combine(h.Scratch, "seen");
        var step = h.Sh("each", $"echo $V-$W >> {outFile}", @params: new() { ["V"] = "((.:v))", ["W"] = "((.:w))" });
        var across = new AcrossPlan
        {
            Id = "a",
            Vars = [new AcrossPlanVar("v", ["a", "b"]), new AcrossPlanVar("w", [1, 2])],
            Step = step,
            MaxInFlight = 2,
        };

        var result = await h.RunAsync(across);

        result.Status.ShouldBe(BuildStatus.Succeeded);
        File.ReadAllLines(outFile).Order().ShouldBe(["a-1", "a-2", "b-1", "b-2"]);
    }

    [Fact]
    public async Task Across_RunsEveryValue_WhenOneFailsWithoutFailFast()
    {
        var outFile = Path.Combine(h.Scratch, "seen");
        var step = h.Sh("each", $"echo $V >> {outFile}; [ $V != a ]", @params: new() { ["V"] = "((.:v))" });

        var result = await h.RunAsync(new AcrossPlan { Id = "a", Vars = [new AcrossPlanVar("v", ["a", "b", "c"])], Step = step });

        result.Status.ShouldBe(BuildStatus.Failed);
        File.ReadAllLines(outFile).ShouldBe(["a", "b", "c"]);
    }

    [Fact]
    public async Task Across_Errors_WhenLocalVarIsUndefined()
    {
        var result = await h.RunAsync(h.Sh("each", "true", @params: new() { ["V"] = "((.:nope))" }));

        result.Status.ShouldBe(BuildStatus.Errored);
        h.Sink.Texts(BuildEventType.Error).Single().ShouldBe("task 'each': undefined local var ((.:nope))");
    }
}
