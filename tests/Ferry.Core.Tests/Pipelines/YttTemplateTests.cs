using Ferry.Core.Pipelines;

namespace Ferry.Core.Tests.Pipelines;

public sealed class YttTemplateTests
{
    private const string Template = """
        #@ load("@ytt:data", "data")
        ---
        resources:
        #@ for env in data.values.envs:
          - name: #@ "deploy-" + env
            type: git
            source: { uri: #@ data.values.repo }
        #@ end
        jobs:
        #@ for env in data.values.envs:
          - name: #@ "deploy-" + env
            plan:
              - get: #@ "deploy-" + env
                trigger: true
              - task: deploy
                file: #@ "deploy-" + env + "/ci/deploy.yml"
        #@ end
        """;

    [Fact]
    public void Load_GivesOneErrorNamingFileAndFirstYttLine_WhenFileIsAYttTemplate()
    {
        var result = PipelineLoader.Load(Template, "pipeline.yml");

        result.Pipeline.ShouldBeNull();
        var error = result.Errors.ShouldHaveSingleItem();
        error.ToString().ShouldBe("pipeline.yml:1:1 this is a ytt template ('#@ load(\"@ytt:data\", \"data\")'), not a pipeline: " +
                                  "render it with ytt first (ytt -f pipeline.yml [-f values.yml] > pipeline.yml) and set the rendered file");
    }

    [Fact]
    public void Load_LocatesIndentedOverlayAnnotation_WhenTemplateHasNoLoadLine()
    {
        var yaml = "jobs:\n  - name: unit\n    #@overlay/match missing_ok=True\n    plan: []\n";

        var error = PipelineLoader.Load(yaml, "ci.yml").Errors.ShouldHaveSingleItem();

        error.Location.ToString().ShouldBe("ci.yml:3:5");
        error.Message.ShouldStartWith("this is a ytt template ('#@overlay/match missing_ok=True')");
    }

    [Fact]
    public void Load_ReadsPipeline_WhenACommentOnlyStartsWithAtSign()
    {
        var yaml = "#@author: ops, not a ytt annotation\njobs:\n  - name: unit\n    plan:\n      - task: t\n        config: { platform: linux, run: { path: true } }\n";

        var result = PipelineLoader.Load(yaml, "ci.yml");

        result.Errors.ShouldBeEmpty();
        result.Pipeline.ShouldNotBeNull();
    }
}
