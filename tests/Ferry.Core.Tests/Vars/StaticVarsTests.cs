using System.Text.Json;
using System.Text.Json.Nodes;
using Ferry.Core.Pipelines;
using Ferry.Core.Pipelines.Steps;
using Ferry.Core.Vars;
using Ferry.Core.Yaml;

namespace Ferry.Core.Tests.Vars;

/// <summary>Static vars (<c>-v</c>, <c>-y</c>, <c>-l</c>) filled in when a pipeline is loaded.</summary>
public sealed class StaticVarsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ferry-vars-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static PipelineLoadResult Load(string yaml, StaticVars vars) =>
        PipelineLoader.Load(yaml, "pipeline.yml", new PipelineLoadOptions { Vars = vars });

    private const string Pipeline = """
        resources:
          - name: app
            type: git
            source: ((src))
          - name: img
            type: registry-image
            source: { repository: "registry.example/((team))/app", port: ((port)) }
        jobs:
          - name: test
            plan:
              - get: app
              - get: img
              - task: unit
                attempts: ((tries))
                file: app/ci/unit.yml
                params: { TOKEN: ((vault:ci/app.token)), LOCAL: ((.:local)) }
        """;

    [Fact]
    public void Load_KeepsMappingAndNumberTypes_WhenWholeValuePlaceholder()
    {
        var vars = new StaticVars()
            .AddYaml("src", "{ uri: https://git.example/app.git, depth: 1 }")
            .AddYaml("tries", "3")
            .AddYaml("port", "5000")
            .AddString("team", "core");

        var result = Load(Pipeline, vars);

        result.Errors.ShouldBeEmpty(string.Join("\n", result.Errors));
        var source = result.Pipeline!.Resources[0].Source;
        source["uri"]!.GetValue<string>().ShouldBe("https://git.example/app.git");
        source["depth"]!.GetValueKind().ShouldBe(JsonValueKind.Number);
        var img = result.Pipeline.Resources[1].Source;
        img["port"]!.GetValueKind().ShouldBe(JsonValueKind.Number);
        img["repository"]!.GetValue<string>().ShouldBe("registry.example/core/app");
        result.Pipeline.Jobs[0].Plan[2].ShouldBeOfType<TaskStep>().Attempts.ShouldBe(3);
        result.UsedVars.ShouldBe(["port", "src", "team", "tries"]);
    }

    [Fact]
    public void Load_KeepsStringType_WhenVarGivenWithDashV()
    {
        var vars = new StaticVars().AddYaml("src", "{}").AddString("port", "5000").AddYaml("tries", "1").AddString("team", "t");

        var result = Load(Pipeline, vars);

        result.Pipeline!.Resources[1].Source["port"]!.GetValueKind().ShouldBe(JsonValueKind.String);
        result.Pipeline.Resources[1].Source["port"]!.GetValue<string>().ShouldBe("5000");
    }

    [Fact]
    public void Load_ReportsLocatedError_WhenEmbeddedPlaceholderIsMapping()
    {
        var vars = new StaticVars().AddYaml("src", "{}").AddYaml("team", "{ name: core }");

        var result = Load(Pipeline, vars);

        result.IsValid.ShouldBeFalse();
        result.Errors.ShouldContain(e =>
            e.ToString() == "pipeline.yml:7:27 var 'team' is a mapping; only a string or a number can be embedded in a string",
            string.Join("\n", result.Errors));
    }

    [Fact]
    public void Load_LeavesSourceAndLocalVarsForRunTime_WhenStaticVarsShareTheirNames()
    {
        // A static 'local' or 'ci/app' must not fill ((.:local)) or ((vault:ci/app.token)): they are resolved at run time.
        var vars = new StaticVars().AddYaml("src", "{}").AddString("local", "static").AddYaml("ci/app", "{ token: static }");

        var result = Load(Pipeline, vars);

        var task = result.Pipeline!.Jobs[0].Plan[2].ShouldBeOfType<TaskStep>();
        task.Params!["TOKEN"]!.GetValue<string>().ShouldBe("((vault:ci/app.token))");
        task.Params["LOCAL"]!.GetValue<string>().ShouldBe("((.:local))");
        result.UsedVars.ShouldNotContain("local");
    }

    [Fact]
    public void Parse_SplitsSourcePathAndFields_WhenSourceIsNamed()
    {
        var reference = VarReference.Parse("vault:ci/app.token.value")!;

        reference.Source.ShouldBe("vault");
        reference.Path.ShouldBe("ci/app");
        reference.Fields.ShouldBe(["token", "value"]);
        reference.Name.ShouldBe("vault:ci/app");
        VarReference.Parse(".:local")!.Source.ShouldBe(".");
        VarReference.Parse("\"a.b\".c")!.Path.ShouldBe("a.b");
        VarReference.Parse("vault:").ShouldBeNull();
        VarReference.Parse("  ").ShouldBeNull();
    }

    [Fact]
    public void Load_FollowsFields_WhenStaticVarIsMapping()
    {
        const string yaml = "resources: [{name: app, type: git, source: {uri: ((git.uri)), branch: \"x-((git.branch))\"}}]\n"
            + "jobs: [{name: j, plan: [{get: app}]}]\n";

        var result = Load(yaml, new StaticVars().AddYaml("git", "{ uri: https://g/app.git, branch: main }"));

        result.Pipeline!.Resources[0].Source["uri"]!.GetValue<string>().ShouldBe("https://g/app.git");
        result.Pipeline.Resources[0].Source["branch"]!.GetValue<string>().ShouldBe("x-main");
    }

    [Fact]
    public void Load_ReadsLegacyBracesAsPlaceholders_WithAWarning()
    {
        const string yaml = "resources: [{name: app, type: git, source: {uri: {{repo}}, branch: {{branch}}}}]\n"
            + "jobs: [{name: j, plan: [{get: app}]}]\n";

        var result = Load(yaml, new StaticVars().AddString("repo", "https://g/app.git"));

        result.Errors.ShouldBeEmpty(string.Join("\n", result.Errors));
        result.Pipeline!.Resources[0].Source["uri"]!.GetValue<string>().ShouldBe("https://g/app.git");
        result.Pipeline.Resources[0].Source["branch"]!.GetValue<string>().ShouldBe("((branch))");
        result.Warnings.ShouldContain(w => w.ToString() == "pipeline.yml:1:1 2 legacy {{var}} placeholder(s) read as ((var)); write ((var))");
    }

    [Fact]
    public void AddFile_ReadsEveryTopLevelKey_WhenDashL()
    {
        var path = Path.Combine(_dir, "vars.yml");
        File.WriteAllText(path, "src: { uri: https://g/app.git }\ntries: 2\nteam: ops\n");

        var vars = new StaticVars().AddFile(path).AddString("team", "dev");
        var result = Load(Pipeline, vars);

        vars.Names.ShouldBe(["src", "tries", "team"], ignoreOrder: true);
        result.Pipeline!.Resources[0].Source["uri"]!.GetValue<string>().ShouldBe("https://g/app.git");
        result.Pipeline.Jobs[0].Plan[2].Attempts.ShouldBe(2);
        // A later flag overrides the file, as with fly.
        result.Pipeline.Resources[1].Source["repository"]!.GetValue<string>().ShouldBe("registry.example/dev/app");
    }

    [Fact]
    public void AddFile_ThrowsLocatedError_WhenVarsFileIsNotMapping()
    {
        var path = Path.Combine(_dir, "list.yml");
        File.WriteAllText(path, "- a\n- b\n");

        var error = Should.Throw<YamlLoadException>(() => new StaticVars().AddFile(path));

        error.Message.ShouldBe("list.yml:1:1 list.yml: a vars file must be a mapping of names to values, not a sequence");
    }

    [Fact]
    public void AddYaml_ThrowsLocatedError_WhenYamlIsMalformed()
    {
        var error = Should.Throw<YamlLoadException>(() => new StaticVars().AddYaml("x", "[a, b"));

        error.Location.File.ShouldBe("-y x");
        error.Location.Line.ShouldBeGreaterThanOrEqualTo(1);
    }

    [Fact]
    public void SplitFlag_SplitsAtFirstEquals_AndRefusesMissingName()
    {
        StaticVars.SplitFlag("url=http://x?a=b").ShouldBe(("url", "http://x?a=b"));
        StaticVars.SplitFlag("empty=").ShouldBe(("empty", ""));
        Should.Throw<ArgumentException>(() => StaticVars.SplitFlag("=v")).Message.ShouldContain("'=v' is not of the form name=value");
        Should.Throw<ArgumentException>(() => StaticVars.SplitFlag("novalue"));
    }
}
