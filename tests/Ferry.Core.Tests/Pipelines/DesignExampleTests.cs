using Ferry.Core.Pipelines;
using Ferry.Core.Pipelines.Graph;

namespace Ferry.Core.Tests.Pipelines;

/// <summary>The example pipeline of DESIGN.md ("Pipeline file"), with its <c>[...]</c> deploy plans written out.</summary>
/// <remarks>DESIGN.md's sketch leaves <c>platform:</c> out of the unit task's config; Ferry checks inline task configs with
/// Concourse's task config rules, which require it, so the copy here says <c>platform: linux</c>.</remarks>
public sealed class DesignExampleTests
{
    private const string Example = """
        resources:
          - name: app
            type: git
            source: { uri: https://git.example/app.git, branch: main }
        jobs:
          - name: unit
            plan:
              - get: app
                trigger: true
              - task: test
                config:
                  platform: linux
                  inputs: [{ name: app }]
                  run: { path: make, args: [test], dir: app }
        environments:
          - name: development
            release: [app]              # what a release carries
            from: [unit]                # releases are the versions that passed these jobs
            promote: auto               # auto | manual
            variables: { API_URL: https://dev.example }
            deploy:                     # plan, with the release's versions as inputs
              - task: deploy
                file: app/ci/deploy.yml
            verify:                     # tests that must pass for "verified in development"
              - in_parallel:
                  - task: integration
                    file: app/ci/integration.yml
                  - task: smoke
                    file: app/ci/smoke.yml
          - name: staging
            from: [development]         # only releases verified in development
            promote: auto
            deploy: [ { task: deploy, file: app/ci/deploy.yml, params: { TARGET: staging } } ]
            verify: [ { task: acceptance, file: app/ci/acceptance.yml } ]
          - name: production
            from: [staging]
            promote: manual             # the play button, or `ferry promote`
            approval: { required: 1, from: [ops] }
            deploy: [ { task: deploy, file: app/ci/deploy.yml, params: { TARGET: production } } ]
            verify: [ { task: smoke, file: app/ci/smoke.yml } ]
        """;

    [Fact]
    public void Load_ValidatesWithoutError_ForDesignExample()
    {
        var result = PipelineLoader.Load(Example, "pipeline.yml");

        result.Errors.ShouldBeEmpty(string.Join("\n", result.Errors));
        result.IsValid.ShouldBeTrue();
        var production = result.Pipeline!.Environments[2];
        production.Promote.ShouldBe(PromoteMode.Manual);
        production.Approval.ShouldNotBeNull();
        result.Pipeline.Environments[0].Verify.ShouldHaveSingleItem();
    }

    [Fact]
    public void Build_ChainsDevelopmentStagingProduction_ForDesignExample()
    {
        var graph = PipelineLoader.Load(Example, "pipeline.yml").Graph!;

        graph.Environments.Select(e => (e.Name, string.Join(",", e.From))).ShouldBe([
            ("development", "unit"),
            ("staging", "development"),
            ("production", "staging"),
        ]);
        // The release (app) travels down the whole chain.
        graph.Environments.ShouldAllBe(e => e.Release.SequenceEqual(new[] { "app" }));
        graph.Jobs.ShouldBe([new GraphJob("unit", ["app"], [])], new GraphJobComparer());
    }

    private sealed class GraphJobComparer : IEqualityComparer<GraphJob>
    {
        public bool Equals(GraphJob? x, GraphJob? y) =>
            x is not null && y is not null && x.Name == y.Name && x.Inputs.SequenceEqual(y.Inputs) && x.Outputs.SequenceEqual(y.Outputs);

        public int GetHashCode(GraphJob obj) => obj.Name.GetHashCode(StringComparison.Ordinal);
    }
}
