using System.Security.Cryptography;
using Ferry.EndToEnd.Tests.Harness;

namespace Ferry.EndToEnd.Tests.Nodes;

/// <summary>
/// What the tests that stop server nodes set up alike: the master key file the nodes share, a pipeline with a
/// release to promote while builds run, and the audit they compare before and after a node stops.
/// </summary>
internal static class NodeSetup
{
    /// <summary>A new random master key in a file of its own, for <c>--master-key-file</c> of every node.</summary>
    public static async Task<string> MasterKeyFileAsync()
    {
        var keyFile = Path.Combine(Directory.CreateTempSubdirectory("ferry-e2e-key-").FullName, "master.key");
        await File.WriteAllTextAsync(keyFile, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        return keyFile;
    }

    /// <summary>
    /// Sets <paramref name="pipeline"/> on <paramref name="server"/>: the git resource <c>app</c> of
    /// <paramref name="repo"/> checked every second, a job <c>unit</c> it triggers, a job <c>work</c> whose task runs
    /// <paramref name="work"/>, and the environment <c>development</c>, promoted by hand from <c>unit</c>, whose deploy
    /// runs <paramref name="deploy"/> (both shell commands). Waits up to 90 s for <c>unit</c>'s build to form a
    /// release; its name.
    /// </summary>
    public static async Task<string> SetPipelineWithReleaseAsync(FerryServer server, string pipeline, GitRepository repo, string work, string deploy)
    {
        var file = Path.Combine(server.DataDirectory, $"{pipeline}.yml");
        await File.WriteAllTextAsync(file, $$"""
            resources:
              - name: app
                type: git
                check_every: 1s
                source: { uri: "{{repo.Uri}}", branch: main }
            jobs:
              - name: unit
                plan:
                  - get: app
                    trigger: true
                  - task: test
                    config: { platform: linux, inputs: [{ name: app }], run: { path: sh, args: [-c, "cat app/README.md"] } }
              - name: work
                plan:
                  - task: wait
                    config: { platform: linux, run: { path: sh, args: [-c, "{{work}}"] } }
            environments:
              - name: development
                release: [app]
                from: [unit]
                promote: manual
                deploy:
                  - task: deploy
                    config: { platform: linux, run: { path: sh, args: [-c, "{{deploy}}"] } }
            """);
        (await server.CliAsync("set-pipeline", "-p", pipeline, "-c", file, "--yes")).ExitCode.ShouldBe(0);
        using var api = server.NewApi();
        var release = "";
        await FerryApi.EventuallyAsync(async () =>
        {
            var releases = (await api.GetAsync($"pipelines/{pipeline}/releases")).AsArray();
            release = releases.Count > 0 ? (string)releases[0]!["name"]! : "";
            return release.Length > 0;
        }, "a release formed from unit", server, TimeSpan.FromSeconds(90));
        return release;
    }

    /// <summary>Every audit entry (up to 500) as JSON text, to compare the lists before and after a node stops.</summary>
    public static async Task<List<string>> AuditAsync(FerryApi api) =>
        [.. (await api.GetAsync("audit?limit=500")).AsArray().Select(e => e!.ToJsonString())];
}
