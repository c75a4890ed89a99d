namespace Ferry.Cli.Tests.Verbs;

public sealed class ClientErrorTests
{
    [Theory]
    [InlineData("pipelines")]
    [InlineData("jobs", "-p", "x")]
    [InlineData("builds")]
    [InlineData("watch", "-b", "1")]
    [InlineData("check", "-r", "p/r")]
    public async Task Verb_Exits3WithOneLine_WhenServerIsUnreachable(params string[] args)
    {
        var port = Cli.ClosedPort();

        var result = await Cli.RunAsync([.. args, "--url", $"http://127.0.0.1:{port}"]);

        result.Exit.ShouldBe(3);
        result.Err.ShouldBe($"ferry: cannot reach the Ferry server at http://127.0.0.1:{port} (connection refused){Environment.NewLine}");
    }

    [Theory]
    [InlineData("trigger", "-j", "no-slash")]
    [InlineData("watch")]
    [InlineData("pin", "-r", "p/r", "-v", "novalue")]
    [InlineData("pipelines", "--url", "ftp://example")]
    [InlineData("jobs")]
    public async Task Verb_Exits2_WhenUsageIsWrong(params string[] args)
    {
        var result = await Cli.RunAsync([.. args, "--url", $"http://127.0.0.1:{Cli.ClosedPort()}"]);
        result.Exit.ShouldBe(2, result.Err);
        result.Err.ShouldNotBeEmpty();
    }
}
