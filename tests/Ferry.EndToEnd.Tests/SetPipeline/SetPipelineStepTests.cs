using Ferry.EndToEnd.Tests.Harness;

namespace Ferry.EndToEnd.Tests.SetPipeline;

/// <summary>
/// <c>set_pipeline</c> on a running server, from files in a real git repository: a pipeline that keeps itself up to
/// date (<c>self</c>, with vars and var_files), a job that sets a second pipeline, and a file that is not a pipeline.
/// </summary>
public sealed class SetPipelineStepTests
{
    private static string Pipeline(string extraJob = "") => $$"""
        resources:
          - name: ci
            type: git
            check_every: never
            source: { uri: ((repo)), branch: main }
        jobs:
          - name: set-self
            plan:
              - get: ci
                trigger: true
              - set_pipeline: self
                file: ci/ci/pipeline.yml
                var_files: [ci/ci/vars.yml]
                vars: { repo: ((repo)) }
          - name: set-other
            plan:
              - get: ci
                trigger: true
                passed: [set-self]
              - set_pipeline: other
                file: ci/ci/other.yml
                vars: { repo: ((repo)) }
          - name: greet
            plan:
              - get: ci
                trigger: true
                passed: [set-self]
              - task: say
                config:
                  platform: linux
                  run: { path: sh, args: [-c, "echo greeting=((greeting))"] }
        {{extraJob}}
        """;

    private const string Other = """
        resources:
          - name: ci
            type: git
            check_every: never
            source: { uri: ((repo)), branch: main }
        jobs:
          - name: other-job
            plan:
              - get: ci
        """;

    [Fact]
    public async Task SetPipeline_SetsItsOwnPipelineAndAnother_RecordingTheBuildAndTheDiff()
    {
        await using var repo = await GitRepository.CreateAsync();
        await repo.CommitAsync("ci/other.yml", Other, "other pipeline");
        await repo.CommitAsync("ci/vars.yml", "greeting: hello-from-var-file\n", "vars");
        var first = await repo.CommitAsync("ci/pipeline.yml", Pipeline(), "self-setting pipeline");
        await using var server = await FerryServer.StartAsync();
        using var api = server.NewApi();
        var file = Path.Combine(server.DataDirectory, "initial.yml");
        await File.WriteAllTextAsync(file, Pipeline());
        var set = await server.CliAsync("set-pipeline", "-p", "selfset", "-c", file, "-v", $"repo={repo.Uri}", "-v", "greeting=from-the-cli", "--yes");
        set.ExitCode.ShouldBe(0, set.ToString());
        (await server.CliAsync("check", "-r", "selfset/ci")).ExitCode.ShouldBe(0);

        (await api.FinishedBuildForAsync(server, "selfset", "set-self", "ci", first)).ShouldBe("succeeded", server.Log);
        var version2 = await api.GetAsync("pipelines/selfset/configs/2");
        ((string)version2["createdBy"]!).ShouldBe("build 1 of selfset/set-self");
        version2["diff"]!.AsArray().Select(l => (string)l!).ShouldContain("~ var greeting (value changed)");
        (await api.FinishedBuildForAsync(server, "selfset", "greet", "ci", first)).ShouldBe("succeeded", server.Log);
        (await server.CliAsync("watch", "-j", "selfset/greet")).Output.ShouldContain("greeting=hello-from-var-file");
        (await api.FinishedBuildForAsync(server, "selfset", "set-other", "ci", first)).ShouldBe("succeeded", server.Log);
        var other = await api.GetAsync("pipelines/other/configs/1");
        ((string)other["createdBy"]!).ShouldBe("build 1 of selfset/set-other");
        (await api.GetAsync("pipelines/other/jobs")).ToJsonString().ShouldContain("other-job");

        // A commit that changes the pipeline: the step sets a third version with the added job, and logs the diff.
        var second = await repo.CommitAsync("ci/pipeline.yml", Pipeline("""
              - name: added
                plan:
                  - get: ci
            """), "add a job");
        (await server.CliAsync("check", "-r", "selfset/ci")).ExitCode.ShouldBe(0);
        (await api.FinishedBuildForAsync(server, "selfset", "set-self", "ci", second)).ShouldBe("succeeded", server.Log);
        var version3 = await api.GetAsync("pipelines/selfset/configs/3");
        ((string)version3["createdBy"]!).ShouldBe("build 2 of selfset/set-self");
        version3["diff"]!.AsArray().Select(l => (string)l!).ShouldContain("+   - name: added");
        var log = await server.CliAsync("watch", "-j", "selfset/set-self");
        log.Output.ShouldContain("+   - name: added");
        log.Output.ShouldContain("set pipeline 'selfset': config version 2 -> 3");
        (await api.GetAsync("pipelines/selfset/jobs")).ToJsonString().ShouldContain("\"added\"");
    }

    [Fact]
    public async Task SetPipeline_ErrorsWithTheLocatedConfigError_WhenTheFileIsNotAValidPipeline()
    {
        await using var repo = await GitRepository.CreateAsync();
        await repo.CommitAsync("ci/broken.yml", """
            jobs:
              - name: j
                plan:
                  - get: nope
            """, "a broken pipeline");
        var commit = await repo.CommitAsync("NOTES.md", "x\n", "notes");
        await using var server = await FerryServer.StartAsync();
        using var api = server.NewApi();
        var file = Path.Combine(server.DataDirectory, "setter.yml");
        await File.WriteAllTextAsync(file, """
            resources:
              - name: ci
                type: git
                check_every: never
                source: { uri: ((repo)), branch: main }
            jobs:
              - name: set-broken
                plan:
                  - get: ci
                    trigger: true
                  - set_pipeline: broken
                    file: ci/ci/broken.yml
            """);
        (await server.CliAsync("set-pipeline", "-p", "setter", "-c", file, "-v", $"repo={repo.Uri}", "--yes")).ExitCode.ShouldBe(0);
        (await server.CliAsync("check", "-r", "setter/ci")).ExitCode.ShouldBe(0);

        (await api.FinishedBuildForAsync(server, "setter", "set-broken", "ci", commit)).ShouldBe("errored", server.Log);
        var log = await server.CliAsync("watch", "-j", "setter/set-broken");
        log.ExitCode.ShouldBe(1, log.ToString());
        log.ToString().ShouldContain("set_pipeline 'broken': ci/ci/broken.yml is not a valid pipeline (1 error): ci/ci/broken.yml:4:14 jobs.j.plan[0].get(nope)");
        (await server.CliAsync("get-pipeline", "-p", "broken")).ExitCode.ShouldBe(1, "nothing was set");
    }
}
