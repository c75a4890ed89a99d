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

    private const string Instances = """
        resources:
          - name: dev-flows
            type: node-red
            source: { url: http://127.0.0.1:1880 }
          - name: app
            type: git
            source: { uri: file:///srv/app.git }
        jobs:
          - name: unit
            plan: [{ get: app }]
        environments:
          - name: development
            instance: dev-flows
          - name: staging
            from: [development]
            instance: { type: node-red, source: { url: http://127.0.0.1:1881, token: ((staging-token)) } }
            env_keys: merge
            verify: [{ task: smoke, config: { platform: linux, run: { path: "true" } } }]
        """;

    private static readonly Release Snapshot = Release.Create(new ReleaseItem("dev-flows", new Dictionary<string, string> { ["rev"] = "1", ["snapshot"] = "ab" }));

    [Fact]
    public void Compile_DeploysIntoTheInstanceWithAPut_WhenInlineInstanceAndNoDeploy()
    {
        var result = PipelineLoader.Load(Instances, "flows.yml");
        result.Errors.ShouldBeEmpty(string.Join("\n", result.Errors));
        var config = result.Pipeline!;

        var promotion = PromotionPlans.Compile(config, config.FindEnvironment("staging")!, 5, "r1", Snapshot).ShouldBeOfType<PromotionPlan>();

        promotion.Fetch.Descendants().OfType<GetPlan>().Single().Resource.ShouldBe("dev-flows");
        var put = promotion.Deploy.ShouldBeOfType<PutPlan>();
        (put.Type, put.Resource, put.NoGet).ShouldBe(("node-red", "instance(staging)", true));
        put.Source.ToJsonString().ShouldBe("""{"url":"http://127.0.0.1:1881","token":"((staging-token))"}""");
        put.Params.ToJsonString().ShouldBe("""{"flows":"dev-flows/flows.json","env_keys":"merge"}""");
        (put.Inputs.Mode, put.Inputs.Names.Single()).ShouldBe((PutInputsMode.List, "dev-flows"));
        promotion.Verify!.Descendants().OfType<TaskPlan>().Single().Name.ShouldBe("smoke");
    }

    [Fact]
    public void Compile_TellsThePutWhatTheInstanceShouldRun_WhenItWasDeployedBefore()
    {
        var config = PipelineLoader.Load(Instances, "flows.yml").Pipeline!;
        var staging = config.FindEnvironment("staging")!;

        var withRev = PromotionPlans.Compile(config, staging, 5, "r2", Snapshot, expect: new InstanceExpectation("s1", "h1", false, "rev-1"));
        var withoutRev = PromotionPlans.Compile(config, staging, 5, "r2", Snapshot, expect: new InstanceExpectation("s1", "h1", true));

        withRev.ShouldBeOfType<PromotionPlan>().Deploy.ShouldBeOfType<PutPlan>().Params.ToJsonString().ShouldBe(
            """{"flows":"dev-flows/flows.json","env_keys":"merge","expect_snapshot":"s1","expect_shape":"h1","expect_rev":"rev-1","force":false}""");
        withoutRev.ShouldBeOfType<PromotionPlan>().Deploy.ShouldBeOfType<PutPlan>().Params.ToJsonString().ShouldBe(
            """{"flows":"dev-flows/flows.json","env_keys":"merge","expect_snapshot":"s1","expect_shape":"h1","force":true}""");
    }

    [Fact]
    public void Compile_DeploysNothing_WhenBoundToAnInstanceResource()
    {
        var config = PipelineLoader.Load(Instances, "flows.yml").Pipeline!;

        var promotion = PromotionPlans.Compile(config, config.FindEnvironment("development")!, 4, "r1", Snapshot).ShouldBeOfType<PromotionPlan>();

        promotion.Deploy.ShouldBeOfType<DoPlan>().Steps.ShouldBeEmpty();
    }

    [Fact]
    public void Compile_Throws_WhenReleaseCarriesNoResourceOfTheInstanceType()
    {
        var config = PipelineLoader.Load(Instances, "flows.yml").Pipeline!;
        var other = Release.Create(new ReleaseItem("app", new Dictionary<string, string> { ["ref"] = "3f2a" }));

        var error = Should.Throw<PlanCompileException>(() => PromotionPlans.Compile(config, config.FindEnvironment("staging")!, 5, "r1", other));

        error.Message.ShouldBe("environments.staging.instance: the release must carry exactly one node-red resource to deploy into the instance; it carries none");
    }
}
