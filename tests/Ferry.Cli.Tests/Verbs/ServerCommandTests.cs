using System.Net;
using System.Net.Sockets;

namespace Ferry.Cli.Tests.Verbs;

public sealed class ServerCommandTests
{
    [Fact]
    public async Task Server_SaysPortIsTakenInOneLine_AndLeavesNoStore_WhenAddressIsInUse()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var data = Path.Combine(Path.GetTempPath(), "ferry-port-taken-" + Guid.NewGuid().ToString("N"));
        using var output = new StringWriter();
        using var error = new StringWriter();

        var code = await FerryCommand.RunAsync(["server", "--data", data, "--listen", $"http://127.0.0.1:{port}", "--no-example"], output, error)
            .WaitAsync(TimeSpan.FromSeconds(30));

        code.ShouldBe(ExitCodes.Failed);
        error.ToString().Trim().ShouldBe($"ferry server: cannot listen on http://127.0.0.1:{port}: the address is already in use");
        Directory.Exists(data).ShouldBeFalse();
    }

    [Theory]
    [InlineData]
    [InlineData("help")]
    public async Task Help_PrintsTheVerbs_WhenAskedOrGivenNothing(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var code = await FerryCommand.RunAsync(args, output, error);

        code.ShouldBe(ExitCodes.Ok);
        output.ToString().ShouldContain("set-pipeline");
        output.ToString().ShouldContain("promote");
        error.ToString().ShouldBeEmpty();
    }

    [Fact]
    public async Task Help_PrintsOneVerbsOptions_WhenNamed()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var code = await FerryCommand.RunAsync(["help", "pin"], output, error);

        code.ShouldBe(ExitCodes.Ok);
        output.ToString().ShouldContain("--version");
    }
}
