using System.Net;
using System.Net.Sockets;
using Ferry.EndToEnd.Tests.Harness;
using Ferry.Tests.Containers;

namespace Ferry.EndToEnd.Tests.Containers;

/// <summary>examples/concourse as its README walks through it: registry.sh, then the pipeline on a server running containers.</summary>
public sealed class ConcourseExampleTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("ferry-e2e-concourse-").FullName;
    private static string Example => Path.Combine(RepositoryRoot.Path, "examples", "concourse");

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [ContainerFact]
    public async Task Example_TestsInItsImage_DeploysToStaging_AndNotifiesThroughItsImageResourceType()
    {
        var environment = new Dictionary<string, string> { ["REGISTRY_PORT"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture) };
        var start = await Shell.RunAsync(Path.Combine(Example, "registry.sh"), ["start", _work], environment: environment, timeout: TimeSpan.FromMinutes(2));
        start.ExitCode.ShouldBe(0, start.ToString());
        try
        {
            await using var server = await FerryServer.StartAsync(arguments: ["--runtime", "container"]);
            using var api = server.NewApi();
            var set = await server.CliAsync("set-pipeline", "-p", "greeting", "-c", Path.Combine(Example, "pipeline.yml"), "-l", Path.Combine(_work, "vars.yml"), "--yes");
            set.ExitCode.ShouldBe(0, set.ToString());

            await FerryApi.EventuallyAsync(async () => (await api.BuildsAsync("greeting", "deploy-staging")).FirstOrDefault() is { } build
                && (string)build["status"]! is not ("pending" or "started"), "the first deploy to staging to end", server, TimeSpan.FromMinutes(3));

            var test = await server.CliAsync("watch", "-j", "greeting/test");
            test.ExitCode.ShouldBe(0, test.ToString());
            test.Output.ShouldContain("testing on general-task 1 (busybox) as root\n2 tests passed");
            var staging = await server.CliAsync("watch", "-j", "greeting/deploy-staging");
            staging.ExitCode.ShouldBe(0, staging.ToString());
            staging.Output.ShouldContain("to staging (https://api.staging.example)");
            staging.Output.ShouldContain("slack to #cg-platform via https://hooks.slack.example/services/T000/B000/XXXX: :white_check_mark: deployed greeting to staging (#1)");
            (await api.BuildsAsync("greeting", "deploy-production")).ShouldBeEmpty("production waits for a person");
            await ContainerTools.NoContainersLeftAsync(server.DataDirectory);
        }
        finally
        {
            await Shell.RunAsync(Path.Combine(Example, "registry.sh"), ["stop", _work], environment: environment);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
