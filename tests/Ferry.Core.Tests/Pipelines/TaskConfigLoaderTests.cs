using System.Text.Json;
using Ferry.Core.Pipelines;
using Ferry.Core.Plans;
using Ferry.Core.Vars;

namespace Ferry.Core.Tests.Pipelines;

/// <summary>Standalone task files, which the engine reads at run time from a task step's <c>file:</c>.</summary>
public sealed class TaskConfigLoaderTests
{
    private const string Task = """
        platform: linux
        image_resource:
          type: registry-image
          source: { repository: ((image)), tag: "((tag))" }
        inputs:
          - name: app
          - name: cache
            optional: true
        outputs: [{ name: dist, path: out }]
        caches: [{ path: .npm }]
        params: { LEVEL: ((level)), NAME: "build-((tag))" }
        run:
          path: sh
          args: [-ec, "make ((target))"]
          dir: app
        """;

    [Fact]
    public void Parse_ReadsEveryField_WithoutVars()
    {
        var result = TaskConfigLoader.Parse(Task, "build.yml");

        result.Errors.ShouldBeEmpty(string.Join("\n", result.Errors));
        var config = result.Config!;
        config.Platform.ShouldBe("linux");
        config.ImageResource!.Type.ShouldBe("registry-image");
        config.ImageResource.Source["repository"]!.GetValue<string>().ShouldBe("((image))");
        config.Inputs.ShouldBe([new TaskInput("app", null, false), new TaskInput("cache", null, true)]);
        config.Outputs.ShouldBe([new TaskOutput("dist", "out")]);
        config.Caches.ShouldBe([new TaskCache(".npm")]);
        config.Run!.RunPath.ShouldBe("sh");
        config.Run.Args.ShouldBe(["-ec", "make ((target))"]);
        config.Run.Dir.ShouldBe("app");
    }

    [Fact]
    public void Parse_FillsVars_KeepingWholeValueTypes()
    {
        var vars = new StaticVars().AddString("image", "golang").AddYaml("tag", "1.22").AddYaml("level", "3").AddString("target", "all");

        var result = TaskConfigLoader.Parse(Task, "build.yml", vars);

        result.Errors.ShouldBeEmpty(string.Join("\n", result.Errors));
        var config = result.Config!;
        config.ImageResource!.Source["repository"]!.GetValue<string>().ShouldBe("golang");
        // A quoted whole-value placeholder still takes the var's type, as in Concourse: "((tag))" becomes the number 1.22.
        config.ImageResource.Source["tag"]!.GetValue<double>().ShouldBe(1.22);
        config.Params!["LEVEL"]!.GetValueKind().ShouldBe(JsonValueKind.Number);
        config.Params["NAME"]!.GetValue<string>().ShouldBe("build-1.22");
        config.Run!.Args.ShouldBe(["-ec", "make all"]);
    }

    [Fact]
    public void Parse_ReportsLocatedErrors_WhenTaskIsIncomplete()
    {
        const string yaml = """
            image_resource: { type: registry-image, source: {} }
            rootfs_uri: docker:///busybox
            inputs:
              - path: src
            run:
              args: [x]
            """;

        var result = TaskConfigLoader.Parse(yaml, "task.yml");

        result.IsValid.ShouldBeFalse();
        result.Config.ShouldNotBeNull();
        result.Errors.Select(e => e.ToString()).ShouldBe([
            "task.yml:1:1 missing 'platform'",
            "task.yml:1:17 specify either image or image_resource, not both",
            "task.yml:4:5 input in position 0 has no name",
            "task.yml:6:3 missing path to executable to run",
        ], ignoreOrder: true);
    }

    [Fact]
    public void Parse_ReportsLocatedError_WhenEmbeddedVarIsMapping()
    {
        var vars = new StaticVars().AddYaml("tag", "{ a: 1 }");

        var result = TaskConfigLoader.Parse(Task, "build.yml", vars);

        result.Errors.ShouldContain(e => e.ToString() == "build.yml:11:35 var 'tag' is a mapping; only a string or a number can be embedded in a string",
            string.Join("\n", result.Errors));
    }

    [Theory]
    [InlineData("", "task.yml:1:1 the task file is empty")]
    [InlineData("- a\n", "task.yml:1:1 a task config must be a mapping, not a sequence")]
    [InlineData("platform: linux\nrun: [unclosed\n", "task.yml:3:1 While parsing a flow sequence, did not find expected ',' or ']'.")]
    [InlineData("platform: linux\n\0", "task.yml:2:1 binary content (a NUL byte): not a YAML text file")]
    public void Parse_ReportsLocatedError_WhenFileIsNotATaskConfig(string yaml, string expected)
    {
        var result = TaskConfigLoader.Parse(yaml, "task.yml");

        result.IsValid.ShouldBeFalse();
        result.Errors[0].ToString().ShouldContain(expected);
    }
}
