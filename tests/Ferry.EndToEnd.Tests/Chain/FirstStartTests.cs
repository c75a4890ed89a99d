using Ferry.EndToEnd.Tests.Harness;

namespace Ferry.EndToEnd.Tests.Chain;

/// <summary>
/// The README's first minute: a new server sets up the hello example, which runs by itself, and writes its owner's
/// token to .ferry/admin-token; one <c>ferry login</c> with that file and the CLI needs nothing more.
/// </summary>
public sealed class FirstStartTests
{
    [Fact]
    public async Task Server_SetsUpTheHelloExample_WhichRunsThroughEveryJob_OnAFirstStart()
    {
        await using var server = await FerryServer.StartAsync(example: true);
        using var api = server.NewApi();
        await FerryApi.EventuallyAsync(async () =>
        {
            var package = await api.BuildsAsync("hello", "package");
            return package.Any(b => (string)b["status"]! == "succeeded");
        }, "the example's package job to succeed", server);
        foreach (var job in new[] { "unit", "integration" })
            (await api.BuildsAsync("hello", job)).ShouldContain(b => (string)b["status"]! == "succeeded");
        var before = await server.CliAsAsync(null, TimeSpan.FromSeconds(60), "jobs", "-p", "hello");
        before.ExitCode.ShouldBe(1, "no token, no answer: " + before);
        before.Error.ShouldContain("sign in: ferry login");
        var login = await server.CliAsAsync(null, TimeSpan.FromSeconds(60), "login", "--url", server.Url, "--token-file", Path.Combine(server.DataDirectory, "admin-token"));
        login.ExitCode.ShouldBe(0, login.ToString());
        login.Output.ShouldStartWith($"logged in to {server.Url} as admin (owner)");
        if (!OperatingSystem.IsWindows())
            File.GetUnixFileMode(Path.Combine(server.DataDirectory, "admin-token")).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var log = await server.CliAsAsync(null, TimeSpan.FromSeconds(60), "watch", "-j", "hello/package");
        log.ExitCode.ShouldBe(0, log.ToString());
        log.Output.ShouldContain("hello-");
        server.Log.ShouldContain($"its API token is in {Path.Combine(server.DataDirectory, "admin-token")}");

        await server.KillAsync();
        await server.StartAgainAsync();
        var pipelines = await server.CliAsync("pipelines", "--json");
        pipelines.Output.Split("\"hello\"").Length.ShouldBe(2, "a second start sets up nothing again");
    }
}
