using System.Text.Json.Nodes;
using Ferry.Core.Plans;

namespace Ferry.Core.Tests.Plans;

public sealed class PlanJsonTests
{
    private static PlanNode EveryKind()
    {
        var get = new GetPlan { Id = "1", Name = "app", Resource = "app", Type = "git", Source = new JsonObject { ["uri"] = "file:///r" }, Version = new Dictionary<string, string> { ["ref"] = "abc" } };
        var task = new TaskPlan
        {
            Id = "2",
            Name = "test",
            Config = new TaskPlanConfig
            {
                Platform = "linux",
                ImageResource = new TaskPlanImageResource { Type = "registry-image", Source = new JsonObject { ["repository"] = "busybox" } },
                Inputs = [new TaskInput("app", "src", Optional: true)],
                Outputs = [new TaskOutput("out")],
                Caches = [new TaskCache("cache")],
                Params = new JsonObject { ["N"] = 1 },
                Run = new TaskPlanRun { Path = "make", Args = ["test"], Dir = "src", User = "root" },
                ContainerLimits = new ContainerLimits(Cpu: 512),
            },
            InputMapping = new Dictionary<string, string> { ["app"] = "code" },
            OutputMapping = new Dictionary<string, string> { ["out"] = "bin" },
            Privileged = true,
        };
        var fileTask = new TaskPlan { Id = "3", Name = "from-file", File = "app/ci/task.yml", Vars = new JsonObject { ["x"] = "y" }, Image = "img" };
        var put = new PutPlan { Id = "4", Name = "app", Resource = "app", Type = "git", Inputs = PutInputs.Listed("bin"), GetParams = new JsonObject { ["depth"] = 1 }, NoGet = true };
        var load = new LoadVarPlan { Id = "5", Name = "v", File = "app/version", Format = "trim", Reveal = true };
        var set = new SetPipelinePlan { Id = "6", Name = "self", File = "app/ci/pipeline.yml", VarFiles = ["app/vars.yml"] };
        var across = new AcrossPlan { Id = "7", Vars = [new AcrossPlanVar("env", ["dev", "prod"])], Step = fileTask, MaxInFlight = 2, FailFast = true };
        var parallel = new InParallelPlan { Id = "8", Steps = [task, across], Limit = 2, FailFast = true };
        var retry = new RetryPlan { Id = "9", Attempts = 3, Step = new TimeoutPlan { Id = "10", Duration = TimeSpan.FromMinutes(5), Step = put } };
        PlanNode plan = new DoPlan { Id = "11", Steps = [get, parallel, retry, new TryPlan { Id = "12", Step = load }, set] };
        plan = new OnSuccessPlan { Id = "13", Step = plan, Hook = new OnFailurePlan { Id = "14", Step = new OnErrorPlan { Id = "15", Step = new OnAbortPlan { Id = "16", Step = get, Hook = get }, Hook = get }, Hook = get } };
        return new EnsurePlan { Id = "17", Step = plan, Hook = get };
    }

    [Fact]
    public void Deserialize_RestoresEveryNodeKind_WhenSerialized()
    {
        var json = PlanJson.Serialize(EveryKind());

        var back = PlanJson.Deserialize(json);

        PlanJson.Serialize(back).ShouldBe(json);
        back.Descendants().Select(n => n.GetType().Name).Distinct().Count().ShouldBe(16);
        json.ShouldContain("\"kind\":\"in_parallel\"");
        json.ShouldContain("\"input_mapping\":{\"app\":\"code\"}");
    }

    [Fact]
    public void Deserialize_ReadsKind_WhenItIsNotTheFirstProperty()
    {
        var plan = PlanJson.Deserialize("""{"id":"1","steps":[{"name":"a","id":"2","resource":"a","type":"git","kind":"get"}],"kind":"do"}""");

        plan.ShouldBeOfType<DoPlan>().Steps.Single().ShouldBeOfType<GetPlan>().Name.ShouldBe("a");
    }

    [Fact]
    public void Deserialize_FailsWithPath_WhenRequiredFieldIsMissing()
    {
        var error = Should.Throw<InvalidDataException>(() => PlanJson.Deserialize("""{"kind":"do","id":"1","steps":[{"kind":"get","id":"2"}]}"""));

        error.Message.ShouldStartWith("build plan:");
        error.Message.ShouldContain("name");
    }

    [Fact]
    public void Deserialize_Fails_WhenKindIsUnknown()
    {
        var error = Should.Throw<InvalidDataException>(() => PlanJson.Deserialize("""{"kind":"bogus","id":"1"}"""));

        error.Message.ShouldContain("bogus");
    }
}
