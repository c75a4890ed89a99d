using Ferry.EndToEnd.Tests.Harness;

namespace Ferry.EndToEnd.Tests.Chain;

/// <summary>The README's first command: a new server sets up the hello example, and it runs by itself.</summary>
public sealed class FirstStartTests
{
    [Fact]
    public async Task Server_SetsUpTheHelloExample_WhichRunsThroughEveryJob_OnAFirstStart()
    {
        await using var server = await FerryServer.StartAsync(example: true);
        using var api = new FerryApi(server.Url);
        await FerryApi.EventuallyAsync(async () =>
        {
            var package = await api.BuildsAsync("hello", "package");
            return package.Any(b => (string)b["status"]! == "succeeded");
        }, "the example's package job to succeed", server);
        foreach (var job in new[] { "unit", "integration" })
            (await api.BuildsAsync("hello", job)).ShouldContain(b => (string)b["status"]! == "succeeded");
        var log = await server.CliAsync("watch", "-j", "hello/package");
        log.ExitCode.ShouldBe(0, log.ToString());
        log.Output.ShouldContain("hello-");

        await server.KillAsync();
        await server.StartAgainAsync();
        var pipelines = await server.CliAsync("pipelines", "--json");
        pipelines.Output.Split("\"hello\"").Length.ShouldBe(2, "a second start sets up nothing again");
    }
}
