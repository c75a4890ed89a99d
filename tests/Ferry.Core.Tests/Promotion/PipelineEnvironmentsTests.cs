using Ferry.Core.Pipelines;
using Ferry.Core.Promotion;

namespace Ferry.Core.Tests.Promotion;

public sealed class PipelineEnvironmentsTests
{
    private const string Yaml = """
        resources:
          - name: app
            type: git
            source: { uri: https://git.example/app.git, branch: main }
        jobs:
          - name: unit
            plan:
              - get: app
                trigger: true
        environments:
          - name: development
            release: [app]
            from: [unit]
            promote: auto
            variables: { API_URL: https://dev.example, RETRIES: 3 }
            deploy: [ { task: deploy, config: { platform: linux, run: { path: "true" } } } ]
          - name: staging
            from: [development]
            promote: auto
            deploy: [ { task: deploy, config: { platform: linux, run: { path: "true" } } } ]
          - name: production
            from: [staging]
            promote: manual
            protected: true
            approval: { required: 2, from: [ops], allow_self: true }
            variables: { DB_URL: { required: true }, API_URL: https://prod.example }
            deploy: [ { task: deploy, config: { platform: linux, run: { path: "true" } } } ]
        """;

    private static PipelineConfig Load()
    {
        var result = PipelineLoader.Load(Yaml, "pipeline.yml");
        result.Errors.ShouldBeEmpty(string.Join("; ", result.Errors));
        return result.Pipeline!;
    }

    [Fact]
    public void Graph_ReadsChainFromEnvironments_WhenFromNamesJobsAndEnvironments()
    {
        var config = Load();
        var graph = PipelineEnvironments.Graph(config);

        graph.Order.ShouldBe(["development", "staging", "production"]);
        graph["development"].IsFirst.ShouldBeTrue();
        graph["production"].Upstream.ShouldBe(["staging"]);
        PipelineEnvironments.FromJobs(config, config.FindEnvironment("development")!).ShouldBe(["unit"]);
        Eligibility.Check(graph, "production", Chains.R(1, "development"))!.Kind.ShouldBe(RefusalKind.WouldSkipEnvironment);
    }

    [Fact]
    public void Policy_ReadsPromoteProtectionAndApproval()
    {
        var config = Load();
        PipelineEnvironments.Policy(config.FindEnvironment("staging")!).ShouldBe(new EnvironmentPolicy("staging", Auto: true));
        var production = PipelineEnvironments.Policy(config.FindEnvironment("production")!);
        production.Auto.ShouldBeFalse();
        production.Protected.ShouldBeTrue();
        production.Approval!.Required.ShouldBe(2);
        production.Approval.From.ShouldBe(["ops"]);
        production.Approval.AllowSelf.ShouldBeTrue();
    }

    [Fact]
    public void Keys_MarkRequiredDeclarations_AndValuesKeepScalars()
    {
        var config = Load();
        var production = config.FindEnvironment("production")!;
        PipelineEnvironments.Keys(production).ShouldBe([new VariableKey("DB_URL", Required: true), new VariableKey("API_URL")]);
        PipelineEnvironments.Values(production).ShouldBe(new Dictionary<string, string> { ["API_URL"] = "https://prod.example" });
        PipelineEnvironments.Values(config.FindEnvironment("development")!)["RETRIES"].ShouldBe("3");
    }
}
