using System.Globalization;
using System.Text.Json.Nodes;
using Ferry.EndToEnd.Tests.Harness;
using Ferry.Tests.LocalServers;

namespace Ferry.EndToEnd.Tests.FlowFuseTrain;

/// <summary>
/// examples/flowfuse-release-train as its README walks through it: train.sh starts verdaccio and docker-registry on
/// 127.0.0.1, the pipeline tests each merge, publishes it to npm as `nightly`, builds an image from that package with
/// umoci in a container, pushes it, and deploys the digest to staging and then production, smoke-testing each.
/// </summary>
public sealed class FlowFuseReleaseTrainTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("ferry-e2e-flowfuse-").FullName;
    private readonly string _pipeline = "fftrain" + Guid.NewGuid().ToString("N")[..6];
    private static string Example => Path.Combine(RepositoryRoot.Path, "examples", "flowfuse-release-train");

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [FlowFuseTrainFact]
    public async Task Train_TakesAMergeToProductionByDigest_StopsAFailingTestBeforePublish_AndGivesABranchAnEnvironmentUntilItGoes()
    {
        var npmPort = LocalServerProcess.FreePort();
        var environment = new Dictionary<string, string>
        {
            ["REGISTRY_PORT"] = LocalServerProcess.FreePort().ToString(CultureInfo.InvariantCulture),
            ["NPM_PORT"] = npmPort.ToString(CultureInfo.InvariantCulture),
            ["PIPELINE"] = _pipeline,
            ["VERDACCIO"] = FlowFuseTrainFactAttribute.Verdaccio ?? throw new InvalidOperationException("verdaccio is not installed: run ./test.sh"),
            ["NODE22"] = FlowFuseTrainFactAttribute.Node22 ?? throw new InvalidOperationException("Node 22 is not installed: run ./test.sh"),
        };
        var start = await Shell.RunAsync(Path.Combine(Example, "train.sh"), ["start", _work], environment: environment, timeout: TimeSpan.FromMinutes(2));
        start.ExitCode.ShouldBe(0, start.ToString());
        try
        {
            await using var server = await FerryServer.StartAsync(arguments: ["--runtime", "container"]);
            using var api = server.NewApi();
            var token = (await File.ReadAllTextAsync(Path.Combine(_work, "npm-token"))).Trim();
            var set = await server.CliAsync("set-pipeline", "-p", _pipeline, "-c", Path.Combine(Example, "pipeline.yml"),
                "-l", Path.Combine(_work, "vars.yml"), "-s", $"npm-token={token}", "--yes");
            set.ExitCode.ShouldBe(0, set.ToString());

            // The first merge rides the whole train by itself: test, publish-nightly, build-image, staging, production.
            await FerryApi.EventuallyAsync(async () => (string?)(await EnvironmentAsync(api, "production"))?["status"] == "succeeded",
                "production to be verified with the first merge", server, TimeSpan.FromMinutes(3));
            var staging = (await EnvironmentAsync(api, "staging"))!;
            var production = (await EnvironmentAsync(api, "production"))!;
            var digest = (string)production["current"]!["versions"]!["image"]!["digest"]!;
            ((string)staging["current"]!["versions"]!["image"]!["digest"]!).ShouldBe(digest);
            (await PodmanAsync("inspect", "--format", "{{.ImageDigest}}", $"{_pipeline}-staging")).ShouldBe(digest, "staging runs the release's digest");
            (await PodmanAsync("inspect", "--format", "{{.ImageDigest}}", $"{_pipeline}-production")).ShouldBe(digest, "production runs the bytes staging tested");
            var nightly = await NightlyAsync(npmPort);
            nightly.ShouldMatch(@"^1\.0\.1-[0-9a-f]{7}-\d{12}\.0$");
            (await PodmanAsync("inspect", "--format", "{{ index .Config.Labels \"org.opencontainers.image.version\" }}", $"{_pipeline}-production"))
                .ShouldBe(nightly, "the image holds the package `nightly` points at");
            (await server.CliAsync("watch", "-j", $"{_pipeline}/build-image")).Output.ShouldContain($"built train-app {nightly}");

            // A merge whose unit test fails goes no further than the test job: nothing published, `nightly` stays.
            var app = Path.Combine(_work, "app");
            var test = Path.Combine(app, "test", "greeting.test.js");
            await File.WriteAllTextAsync(test, (await File.ReadAllTextAsync(test)).Replace("'Hello, Ada!'", "'Hello, Ada?'", StringComparison.Ordinal));
            await Shell.GitAsync(app, "commit", "-qam", "expect a question");
            await Shell.GitAsync(app, "push", "-q", "origin", "main");
            var broken = await Shell.GitAsync(app, "rev-parse", "HEAD");

            // A pull-request branch gets pr-<name> meanwhile, built and smoke-tested from the branch itself.
            await Shell.GitAsync(app, "checkout", "-q", "-b", "pr/docs", "HEAD~1");
            await File.AppendAllTextAsync(Path.Combine(app, "server.js"), "// GET /version is what the smoke test reads\n");
            await Shell.GitAsync(app, "commit", "-qam", "say what the smoke test reads");
            await Shell.GitAsync(app, "push", "-q", "origin", "pr/docs");
            (await server.CliAsync("check", "-r", $"{_pipeline}/app")).ExitCode.ShouldBe(0);
            (await server.CliAsync("check", "-r", $"{_pipeline}/pull-requests")).ExitCode.ShouldBe(0);

            (await api.FinishedBuildForAsync(server, _pipeline, "test", "app", broken)).ShouldBe("failed");
            await api.PassAfterNowAsync(server, "scheduler");
            foreach (var build in await api.BuildsAsync(_pipeline, "publish-nightly"))
                (await api.InputRefAsync((long)build["id"]!, "app")).ShouldNotBe(broken, "publish-nightly ran with the commit whose test failed");
            (await NightlyAsync(npmPort)).ShouldBe(nightly);

            await FerryApi.EventuallyAsync(async () => (string?)(await EnvironmentAsync(api, "pr-docs"))?["status"] == "succeeded",
                "pr-docs to be verified", server, TimeSpan.FromMinutes(2));
            (await PodmanAsync("ps", "--filter", $"name=^{_pipeline}-pr-docs$", "--format", "{{.Names}}")).ShouldBe($"{_pipeline}-pr-docs");

            // The branch goes: so do its environment and, through teardown, its container.
            await Shell.GitAsync(app, "push", "-q", "origin", ":pr/docs");
            (await server.CliAsync("check", "-r", $"{_pipeline}/pull-requests")).ExitCode.ShouldBe(0);
            await FerryApi.EventuallyAsync(async () => await EnvironmentAsync(api, "pr-docs") is null
                && await PodmanAsync("ps", "--all", "--filter", $"name=^{_pipeline}-pr-docs$", "--format", "{{.Names}}") == "",
                "pr-docs and its container to go", server, TimeSpan.FromMinutes(1));
            (await PodmanAsync("inspect", "--format", "{{.ImageDigest}}", $"{_pipeline}-production")).ShouldBe(digest, "production kept its release");
        }
        finally
        {
            await Shell.RunAsync(Path.Combine(Example, "train.sh"), ["stop", _work], environment: environment);
        }
    }

    private async Task<JsonNode?> EnvironmentAsync(FerryApi api, string name) =>
        (await api.GetAsync($"pipelines/{_pipeline}/environments")).AsArray().FirstOrDefault(e => (string?)e!["name"] == name);

    /// <summary>The version verdaccio's `nightly` dist-tag points at.</summary>
    private static async Task<string> NightlyAsync(int npmPort)
    {
        using var http = new HttpClient();
        var tags = JsonNode.Parse(await http.GetStringAsync($"http://127.0.0.1:{npmPort}/-/package/@ferry-example%2ftrain-app/dist-tags"))!;
        return (string)tags["nightly"]!;
    }

    private static async Task<string> PodmanAsync(params string[] args)
    {
        var result = await Shell.RunAsync("podman", args);
        result.ExitCode.ShouldBe(0, result.ToString());
        return result.Output.Trim();
    }
}
