using Ferry.Core.Pipelines;
using Ferry.Core.Planning;
using Ferry.Core.Plans;
using Ferry.Core.Promotion;

namespace Ferry.Core.Tests.Planning;

public sealed class PromotionPlansTests
{
    private const string Pipeline = """
        resources:
          - name: app
            type: git
            source: { uri: file:///srv/app.git, branch: main }
        jobs:
          - name: unit
            plan: [{ get: app, trigger: true }]
        environments:
          - name: development
            release: [app]
            from: [unit]
            deploy: [{ task: deploy, file: app/ci/deploy.yml }]
            verify: [{ in_parallel: [{ task: smoke, file: app/ci/smoke.yml }, { task: integration, file: app/ci/integration.yml }] }]
            on_failure: { task: page, config: { platform: linux, run: { path: "true" } } }
          - name: production
            from: [development]
            on_failure: rollback
            deploy: [{ task: deploy, file: app/ci/deploy.yml }]
        """;

    private static readonly Release R = Release.Create(new ReleaseItem("app", new Dictionary<string, string> { ["ref"] = "3f2a" }));

    private static PipelineConfig Load()
    {
        var result = PipelineLoader.Load(Pipeline, "train.yml");
        result.Errors.ShouldBeEmpty(string.Join("\n", result.Errors));
        return result.Pipeline!;
    }

    [Fact]
    public void Compile_FetchesTheReleaseThenDeploysThenVerifies_InsideTheOnFailureHook()
    {
        var config = Load();
        var plan = PromotionPlans.Compile(config, config.FindEnvironment("development")!, 42, "r7", R);

        var hook = plan.ShouldBeOfType<OnFailurePlan>();
        hook.Hook.ShouldBeOfType<TaskPlan>().Name.ShouldBe("page");
        var promotion = hook.Step.ShouldBeOfType<PromotionPlan>();
        promotion.PromotionId.ShouldBe(42);
        promotion.Release.ShouldBe("r7");
        var get = promotion.Fetch.ShouldBeOfType<InParallelPlan>().Steps.Single().ShouldBeOfType<GetPlan>();
        (get.Name, get.Resource, get.Type, get.Version!["ref"]).ShouldBe(("app", "app", "git", "3f2a"));
        promotion.Deploy.Descendants().OfType<TaskPlan>().Single().File.ShouldBe("app/ci/deploy.yml");
        promotion.Verify!.Descendants().OfType<TaskPlan>().Select(t => t.Name).ShouldBe(["smoke", "integration"]);
        plan.Descendants().Select(n => n.Id).ShouldBeUnique();
    }

    [Fact]
    public void Compile_RoundTripsThroughPlanJson()
    {
        var config = Load();
        var plan = PromotionPlans.Compile(config, config.FindEnvironment("production")!, 3, "r1", R);

        var back = PlanJson.Deserialize(PlanJson.Serialize(plan)).ShouldBeOfType<PromotionPlan>();
        back.Environment.ShouldBe("production");
        back.Verify.ShouldBeNull();
        back.Fetch.ShouldBeOfType<InParallelPlan>().Steps.Single().ShouldBeOfType<GetPlan>().Version!["ref"].ShouldBe("3f2a");
    }

    [Fact]
    public void OnFailureRollback_IsAFlag_NotAStep()
    {
        var production = Load().FindEnvironment("production")!;

        production.RollbackOnFailure.ShouldBeTrue();
        production.OnFailure.ShouldBeNull();
    }
}
