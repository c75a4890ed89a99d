using System.Text.Json.Nodes;
using Ferry.EndToEnd.Tests.Harness;
using Ferry.Tests.Containers;
using Ferry.Tests.LocalServers;

namespace Ferry.EndToEnd.Tests.Containers;

/// <summary>examples/concourse as its README walks through it: registry.sh, then the pipeline on a server running containers.</summary>
public sealed class ConcourseExampleTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("ferry-e2e-concourse-").FullName;
    private static string Example => Path.Combine(RepositoryRoot.Path, "examples", "concourse");

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [ContainerFact]
    public async Task Example_SetsItselfTestsInItsImage_DeploysInTheFetchedImage_AndNotifiesThroughItsImageResourceType()
    {
        var environment = new Dictionary<string, string> { ["REGISTRY_PORT"] = LocalServerProcess.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture) };
        var start = await Shell.RunAsync(Path.Combine(Example, "registry.sh"), ["start", _work], environment: environment, timeout: TimeSpan.FromMinutes(2));
        start.ExitCode.ShouldBe(0, start.ToString());
        try
        {
            await using var server = await FerryServer.StartAsync(arguments: ["--runtime", "container"]);
            using var api = server.NewApi();
            var src = Path.Combine(_work, "src");
            var set = await server.CliAsync("set-pipeline", "-p", "greeting", "-c", Path.Combine(src, "ci", "pipeline.yml"), "-l", Path.Combine(src, "ci", "config.yml"), "--yes");
            set.ExitCode.ShouldBe(0, set.ToString());

            await FerryApi.EventuallyAsync(async () => (await api.BuildsAsync("greeting", "deploy-staging")).FirstOrDefault() is { } build
                && (string)build["status"]! is not ("pending" or "started"), "the first deploy to staging to end", server, TimeSpan.FromMinutes(3));

            // The repository holds what was set by hand: set-self finds nothing to change.
            var self = await server.CliAsync("watch", "-j", "greeting/set-self");
            self.ExitCode.ShouldBe(0, self.ToString());
            self.Output.ShouldContain("no changes to pipeline 'greeting': it stays at config version 1");
            var test = await server.CliAsync("watch", "-j", "greeting/test");
            test.ExitCode.ShouldBe(0, test.ToString());
            test.Output.ShouldContain("testing on general-task 1 (busybox) as root\n2 tests passed");
            var staging = await server.CliAsync("watch", "-j", "greeting/deploy-staging");
            staging.ExitCode.ShouldBe(0, staging.ToString());
            staging.Output.ShouldContain("to staging (https://api.staging.example) on general-task 1 (busybox)");
            staging.Output.ShouldContain("slack to #cg-platform via https://hooks.slack.example/services/T000/B000/XXXX: :white_check_mark: deployed greeting to staging (#1)");
            (await TaskImageAsync(api, "deploy-staging")).ShouldBe("artifact 'general-task'", "image: general-task, the registry-image resource's get, not the task file's image_resource");
            (await api.BuildsAsync("greeting", "deploy-production")).ShouldBeEmpty("production waits for a person");

            // A change to the pipeline's vars in the app's repository: set-self records config version 2, which the next builds run.
            var config = Path.Combine(src, "ci", "config.yml");
            await File.WriteAllTextAsync(config, (await File.ReadAllTextAsync(config)).Replace("#cg-platform", "#cg-deploys", StringComparison.Ordinal));
            await Shell.GitAsync(src, "commit", "-qam", "notify #cg-deploys");
            await Shell.GitAsync(src, "push", "-q", "origin", "main");
            var commit = await Shell.GitAsync(src, "rev-parse", "HEAD");
            (await server.CliAsync("check", "-r", "greeting/src")).ExitCode.ShouldBe(0);
            (await api.FinishedBuildForAsync(server, "greeting", "set-self", "src", commit)).ShouldBe("succeeded", server.Log);
            var version2 = await api.GetAsync("pipelines/greeting/configs/2");
            ((string)version2["createdBy"]!).ShouldBe("build 2 of greeting/set-self");
            version2["diff"]!.AsArray().Select(l => (string)l!).ShouldContain("~ var slack-channel (value changed)");
            (await api.FinishedBuildForAsync(server, "greeting", "deploy-staging", "src", commit)).ShouldBe("succeeded", server.Log);
            (await server.CliAsync("watch", "-j", "greeting/deploy-staging")).Output.ShouldContain("slack to #cg-deploys via");
            await ContainerTools.NoContainersLeftAsync(server.DataDirectory);
        }
        finally
        {
            await Shell.RunAsync(Path.Combine(Example, "registry.sh"), ["stop", _work], environment: environment);
        }
    }

    /// <summary>The image the newest build of the job ran its task in, as the task's finished event records it.</summary>
    private static async Task<string?> TaskImageAsync(FerryApi api, string job)
    {
        var build = (await api.BuildsAsync("greeting", job))[0];
        // The build is over: its event stream ends after the last event.
        using var response = await api.SendAsync(HttpMethod.Get, $"builds/{(long)build["id"]!}/events");
        var events = await response.Content.ReadAsStringAsync();
        return events.Split('\n')
            .Where(line => line.StartsWith("data: ", StringComparison.Ordinal))
            .Select(line => JsonNode.Parse(line["data: ".Length..])?["payload"]?["image"])
            .FirstOrDefault(image => image is not null)?.GetValue<string>();
    }
}
