using Ferry.Core.Builds;
using Ferry.Core.Plans;
using Ferry.Engine.Running;

namespace Ferry.Engine.Tests.Running;

public sealed class SetPipelineStepTests : IDisposable
{
    private readonly RunnerHarness h = new();

    public void Dispose() => h.Dispose();

    private sealed class RecordingSetter : IPipelineSetter
    {
        public List<string> Set { get; } = [];

        public Task<IReadOnlyList<string>> SetAsync(SetPipelinePlan plan, string configPath, IReadOnlyList<string> varFilePaths, CancellationToken cancellation)
        {
            Set.Add($"{plan.Name}:{File.ReadAllText(configPath).Trim()}:{varFilePaths.Count}");
            return Task.FromResult<IReadOnlyList<string>>([$"set {plan.Name}"]);
        }
    }

    [Fact]
    public async Task SetPipeline_HandsFileToSetter_WhenOneIsConfigured()
    {
        var setter = new RecordingSetter();
        var make = h.Sh("make", "echo 'jobs: []' > ci/p.yml; echo 'a: 1' > ci/v.yml", outputs: ["ci"]);
        var set = new SetPipelinePlan { Id = "sp", Name = "self", File = "ci/p.yml", VarFiles = ["ci/v.yml"] };

        var result = await new BuildRunner().RunAsync(new BuildRequest(1, h.Do(make, set), Path.Combine(h.Root, "b"), _ => null, h.Sink) { PipelineSetter = setter }, CancellationToken.None);

        result.Status.ShouldBe(BuildStatus.Succeeded);
        setter.Set.ShouldBe(["self:jobs: []:1"]);
        h.Sink.Texts(BuildEventType.Log).ShouldContain("set self\n");
    }

    [Fact]
    public async Task SetPipeline_Errors_WhenNoSetterIsConfigured()
    {
        var make = h.Sh("make", "echo 'jobs: []' > ci/p.yml", outputs: ["ci"]);

        var result = await h.RunAsync(h.Do(make, new SetPipelinePlan { Id = "sp", Name = "self", File = "ci/p.yml" }));

        result.Status.ShouldBe(BuildStatus.Errored);
        h.Sink.Texts(BuildEventType.Error).Single().ShouldBe("set_pipeline 'self': no pipeline setter is configured for this runner");
    }
}
