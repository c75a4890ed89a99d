using Ferry.Core.Pipelines;
using Ferry.Core.Promotion;
using Ferry.EndToEnd.Tests.Harness;

namespace Ferry.EndToEnd.Tests.ReleaseTrain;

/// <summary>examples/release-train/pipeline.yml: valid as the walkthrough checks it, and the train it describes.</summary>
public sealed class ReleaseTrainPipelineTests
{
    [Fact]
    public async Task Validate_SaysValid_ForTheReleaseTrainPipelineWithStrict()
    {
        var result = await Shell.RunAsync("dotnet",
            [Path.Combine(AppContext.BaseDirectory, "ferry.dll"), "validate", "-c", ReleaseTrainExample.PipelineFile, "-v", "repo=file:///tmp/x", "--strict"]);

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Output.ShouldContain("pipeline.yml: valid");
    }

    [Fact]
    public void Load_ChainsDevelopmentStagingProduction_WithProductionManualApprovedByOpsAndRolledBackOnFailure()
    {
        var pipeline = ReleaseTrainExample.Load();
        var environments = pipeline.Environments.ToDictionary(e => e.Name);

        environments["development"].From.ShouldBe(["unit"]);
        environments["development"].Release.ShouldBe(["app"]);
        environments["staging"].From.ShouldBe(["development"]);
        environments["production"].From.ShouldBe(["staging"]);
        environments["development"].Promote.ShouldBe(PromoteMode.Auto);
        environments["staging"].Promote.ShouldBe(PromoteMode.Auto);
        environments["production"].Promote.ShouldBe(PromoteMode.Manual);
        environments["production"].Approval.ShouldNotBeNull().Required.ShouldBe(1);
        environments["production"].Approval!.From.ShouldBe(["ops"]);
        environments["production"].RollbackOnFailure.ShouldBeTrue();
        pipeline.FindJob("unit").ShouldNotBeNull();
    }

    [Fact]
    public void Keys_DeclareProductionsGreetingRequired_AndGiveTheOthersValues()
    {
        var pipeline = ReleaseTrainExample.Load("/srv/deploys");
        var production = pipeline.Environments.Single(e => e.Name == "production");

        PipelineEnvironments.Keys(production).ShouldContain(new VariableKey("GREETING", true));
        PipelineEnvironments.Values(production).ContainsKey("GREETING").ShouldBeFalse("production's greeting has no value in the file");
        foreach (var name in new[] { "development", "staging" })
        {
            var values = PipelineEnvironments.Values(pipeline.Environments.Single(e => e.Name == name));
            values["GREETING"].ShouldNotBeNullOrWhiteSpace();
            values["DEPLOY_ROOT"].ShouldBe("/srv/deploys");
        }
    }
}
