using System.Text.Json;
using Ferry.Cli;

namespace Ferry.Cli.Tests.Validate;

public sealed class ValidateCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ferry-validate-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await FerryCommand.RunAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    private string Write(string name, string yaml)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, yaml);
        return path;
    }

    private static string CorpusFile(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "corpus", "cloudgov-concourse", name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new FileNotFoundException($"corpus file {name} not found above {AppContext.BaseDirectory} (expected <repo>/../shared/corpus)");
    }

    private const string Broken = """
        resources:
          - name: app
            type: git
        jobs:
          - name: test
            plan:
              - get: app
          - name: deploy
            plan:
              - get: app
                passed: [tset]
        """;

    [Fact]
    public async Task Validate_PrintsValid_ForCorpusPipeline()
    {
        var (code, output, _) = await Run("validate", "-c", CorpusFile("deploy-cf__ci_pipeline.yml"));

        code.ShouldBe(ExitCodes.Ok);
        output.ShouldContain("deploy-cf__ci_pipeline.yml: valid");
    }

    [Fact]
    public async Task Validate_PrintsLocatedErrorAndExits1_WhenPassedNamesNoJob()
    {
        var path = Write("pipeline.yml", Broken);

        var (code, output, _) = await Run("validate", "-c", path);

        code.ShouldBe(ExitCodes.Failed);
        output.ShouldContain("error: pipeline.yml:11:18 jobs.deploy.plan[0].get(app).passed: no job named 'tset'");
        output.ShouldContain("pipeline.yml: invalid (1 error)");
    }

    [Fact]
    public async Task Validate_PrintsJson_WhenAskedFor()
    {
        var path = Write("pipeline.yml", Broken);

        var (code, output, _) = await Run("validate", "-c", path, "--json");

        code.ShouldBe(ExitCodes.Failed);
        using var json = JsonDocument.Parse(output);
        var error = json.RootElement.GetProperty("errors")[0];
        error.GetProperty("file").GetString().ShouldBe("pipeline.yml");
        error.GetProperty("line").GetInt32().ShouldBe(11);
        error.GetProperty("column").GetInt32().ShouldBe(18);
        error.GetProperty("path").GetString().ShouldBe("jobs.deploy.plan[0].get(app).passed");
        error.GetProperty("message").GetString().ShouldBe("no job named 'tset'");
        json.RootElement.GetProperty("warnings").GetArrayLength().ShouldBe(0);
        var graph = json.RootElement.GetProperty("graph");
        graph.GetProperty("jobs").GetArrayLength().ShouldBe(2);
        graph.GetProperty("resources")[0].GetProperty("name").GetString().ShouldBe("app");
        graph.GetProperty("passedEdges").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task Validate_PrintsGraphEdges_ForCorpusPipelineAsJson()
    {
        var (code, output, _) = await Run("validate", "-c", CorpusFile("deploy-nessus-manager__pipeline.yml"), "--json");

        code.ShouldBe(ExitCodes.Ok);
        using var json = JsonDocument.Parse(output);
        var edge = json.RootElement.GetProperty("graph").GetProperty("passedEdges")[0];
        edge.GetProperty("from").GetString().ShouldBe("reconfigure");
        edge.GetProperty("to").GetString().ShouldBe("deploy-nessus-manager-production");
        edge.GetProperty("resource").GetString().ShouldBe("nessus-manager-config");
    }

    [Fact]
    public async Task Validate_Exits1WithMessage_WhenFileMissing()
    {
        var (code, _, error) = await Run("validate", "-c", Path.Combine(_dir, "nope.yml"));

        code.ShouldBe(ExitCodes.Failed);
        error.ShouldContain("nope.yml: no such file");
    }

    [Fact]
    public async Task Validate_Exits2_WhenConfigMissing()
    {
        var (code, _, error) = await Run("validate");

        code.ShouldBe(ExitCodes.Usage);
        error.ShouldContain("--config");
    }

    [Fact]
    public async Task Validate_Exits2_WhenVarHasNoEquals()
    {
        var path = Write("pipeline.yml", Broken);

        var (code, _, error) = await Run("validate", "-c", path, "-v", "novalue");

        code.ShouldBe(ExitCodes.Usage);
        error.ShouldContain("'novalue' is not of the form name=value");
    }

    [Fact]
    public async Task Validate_UsesVarsFromFlagsAndFiles_WhenGiven()
    {
        var path = Write("pipeline.yml", """
            resources:
              - name: app
                type: git
                source: { uri: ((uri)), branch: ((branch)) }
            jobs:
              - name: test
                plan:
                  - get: app
                    trigger: ((auto))
            """);
        var vars = Write("vars.yml", "uri: https://git.example/app.git\n");

        var (code, output, _) = await Run("validate", "-c", path, "-l", vars, "-v", "branch=main", "-y", "auto=true", "--strict");

        code.ShouldBe(ExitCodes.Ok, output);
        output.ShouldContain("pipeline.yml: valid");
    }

    [Fact]
    public async Task Validate_FailsStrict_WhenTypedFieldIsUnknownVar()
    {
        var path = Write("pipeline.yml", """
            resources:
              - name: app
                type: git
            jobs:
              - name: test
                plan:
                  - get: app
                    trigger: ((auto))
            """);

        var lax = await Run("validate", "-c", path);
        var strict = await Run("validate", "-c", path, "--strict");

        lax.Code.ShouldBe(ExitCodes.Ok);
        lax.Out.ShouldContain("warning: pipeline.yml:8:18 jobs.test.plan[0].get(app).trigger: ((auto)) is not known until run time");
        strict.Code.ShouldBe(ExitCodes.Failed);
    }
}
