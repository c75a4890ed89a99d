using Ferry.Core.Pipelines;
using Ferry.Core.Planning;
using Ferry.Core.Plans;

namespace Ferry.Core.Tests.Planning;

public sealed class PlanCompilerTests
{
    private static PipelineConfig Load(string yaml)
    {
        var result = PipelineLoader.Load(yaml, "plan.yml");
        result.Errors.ShouldBeEmpty(string.Join("\n", result.Errors));
        return result.Pipeline!;
    }

    private const string Pipeline = """
        resource_types:
          - name: my-git
            type: exec
            source: { path: /opt/resource/git }
            defaults: { branch: main, depth: 1 }
        resources:
          - name: app
            type: my-git
            source: { uri: file:///srv/app.git, depth: 5 }
        jobs:
          - name: unit
            on_failure: { task: notify, config: { platform: linux, run: { path: "true" } } }
            ensure: { task: clean, config: { platform: linux, run: { path: "true" } } }
            plan:
              - get: app
                trigger: true
              - task: test
                attempts: 3
                timeout: 90s
                on_success: { task: report, config: { platform: linux, run: { path: "true" } } }
                ensure: { task: tidy, config: { platform: linux, run: { path: "true" } } }
                config:
                  platform: linux
                  inputs: [{ name: app }]
                  params: { MODE: fast }
                  run: { path: make, args: [test], dir: app }
              - put: app
                params: { repository: app }
        """;

    [Fact]
    public void CompileJob_FixesTheChosenVersionIntoTheGet_AndMergesTypeDefaultsUnderTheSource()
    {
        var config = Load(Pipeline);
        var versions = new Dictionary<string, IReadOnlyDictionary<string, string>> { ["app"] = new Dictionary<string, string> { ["ref"] = "abc" } };
        var plan = new PlanCompiler(config, versions).CompileJob(config.FindJob("unit")!);

        var get = plan.Descendants().OfType<GetPlan>().Single();
        get.Version!["ref"].ShouldBe("abc");
        get.Type.ShouldBe("my-git");
        get.Source["uri"]!.GetValue<string>().ShouldBe("file:///srv/app.git");
        get.Source["branch"]!.GetValue<string>().ShouldBe("main");
        get.Source["depth"]!.GetValue<long>().ShouldBe(5L, "the resource's own field wins over the type's default");
        plan.Descendants().OfType<PutPlan>().Single().Params["repository"]!.GetValue<string>().ShouldBe("app");
    }

    [Fact]
    public void Compile_WrapsModifiersInConcoursesOrder_EnsureOutermostAndTimeoutInsideEachAttempt()
    {
        var config = Load(Pipeline);
        var plan = new PlanCompiler(config, new Dictionary<string, IReadOnlyDictionary<string, string>>()).CompileJob(config.FindJob("unit")!);

        // The job's hooks wrap its whole plan: ensure outside on_failure.
        var jobEnsure = plan.ShouldBeOfType<EnsurePlan>();
        var jobFailure = jobEnsure.Step.ShouldBeOfType<OnFailurePlan>();
        var steps = jobFailure.Step.ShouldBeOfType<DoPlan>().Steps;

        var ensure = steps[1].ShouldBeOfType<EnsurePlan>();
        var success = ensure.Step.ShouldBeOfType<OnSuccessPlan>();
        var retry = success.Step.ShouldBeOfType<RetryPlan>();
        retry.Attempts.ShouldBe(3);
        var timeout = retry.Step.ShouldBeOfType<TimeoutPlan>();
        timeout.Duration.ShouldBe(TimeSpan.FromSeconds(90));
        var task = timeout.Step.ShouldBeOfType<TaskPlan>();
        task.Config!.Run.Path.ShouldBe("make");
        task.Config.Run.Dir.ShouldBe("app");
        task.Config.Params["MODE"]!.GetValue<string>().ShouldBe("fast");
    }

    [Fact]
    public void CompileJob_GivesEveryNodeAUniqueId_AndTheJsonRoundTrips()
    {
        var config = Load(Pipeline);
        var plan = new PlanCompiler(config, new Dictionary<string, IReadOnlyDictionary<string, string>>(), "deploy.").CompileJob(config.FindJob("unit")!);
        var ids = plan.Descendants().Select(n => n.Id).ToList();
        ids.Distinct().Count().ShouldBe(ids.Count);
        ids.ShouldAllBe(id => id.StartsWith("deploy.", StringComparison.Ordinal));
        PlanJson.Serialize(PlanJson.Deserialize(PlanJson.Serialize(plan))).ShouldBe(PlanJson.Serialize(plan));
    }
}
