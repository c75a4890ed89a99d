using Ferry.Core.Pipelines;
using Ferry.Core.Promotion;
using Ferry.Core.Vars;
using Ferry.EndToEnd.Tests.Harness;

namespace Ferry.EndToEnd.Tests.FlowFuseTrain;

/// <summary>examples/flowfuse-release-train/pipeline.yml: the train it declares, and the README's one-line switch.</summary>
public sealed class FlowFuseTrainPipelineTests
{
    private static readonly string PipelineFile = Path.Combine(RepositoryRoot.Path, "examples", "flowfuse-release-train", "pipeline.yml");

    /// <summary>The line the README's sed writes in place of production's <c>promote: auto</c>.</summary>
    private const string ManualLine = "<<: { promote: manual, approval: { required: 1, from: [ops] } }";

    private static PipelineConfig Load(string text)
    {
        var vars = new StaticVars().AddString("repo", "file:///tmp/app.git").AddString("registry", "127.0.0.1:5000")
            .AddString("npm-registry", "http://127.0.0.1:4873/").AddString("npm-token", "t");
        var result = PipelineLoader.Load(text, "pipeline.yml", new PipelineLoadOptions { Vars = vars, Strict = true });
        result.Errors.ShouldBeEmpty(string.Join("\n", result.Errors));
        return result.Pipeline!;
    }

    [Fact]
    public void Load_ChainsTestPublishBuildStagingProduction_BothAutomatic_WithAPerBranchEnvironment()
    {
        var pipeline = Load(File.ReadAllText(PipelineFile));
        var environments = pipeline.Environments.ToDictionary(e => e.Name);

        pipeline.FindJob("publish-nightly").ShouldNotBeNull();
        environments["staging"].From.ShouldBe(["build-image"]);
        environments["staging"].Release.ShouldBe(["app", "image"]);
        environments["production"].From.ShouldBe(["staging"]);
        environments["staging"].Promote.ShouldBe(PromoteMode.Auto);
        environments["production"].Promote.ShouldBe(PromoteMode.Auto);
        environments["production"].Approval.ShouldBeNull();
        environments["pr"].ForEach.ShouldBe("pull-requests");
    }

    [Fact]
    public void Load_MakesProductionManualWithAnApprovalFromOps_WhenTheReadmesOneLineSwitchIsApplied()
    {
        var lines = File.ReadAllLines(PipelineFile).ToList();
        var production = lines.FindIndex(l => l.Trim() == "- name: production");
        var promote = lines.FindIndex(production, l => l.Contains("promote:", StringComparison.Ordinal));
        lines[promote].Trim().ShouldBe("promote: auto", "the README's sed replaces the first promote: after '- name: production'");
        File.ReadAllText(Path.Combine(Path.GetDirectoryName(PipelineFile)!, "README.md")).ShouldContain($"s/promote: auto/{ManualLine}/");
        lines[promote] = lines[promote].Replace("promote: auto", ManualLine, StringComparison.Ordinal);

        var environments = Load(string.Join('\n', lines)).Environments.ToDictionary(e => e.Name);

        environments["production"].Promote.ShouldBe(PromoteMode.Manual);
        environments["production"].Approval.ShouldNotBeNull().Required.ShouldBe(1);
        environments["production"].Approval!.From.ShouldBe(["ops"]);
        environments["staging"].Promote.ShouldBe(PromoteMode.Auto);
    }
}
