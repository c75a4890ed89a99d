using Ferry.Cli.Client;

namespace Ferry.Cli.Tests.Rendering;

public sealed class TerminalTests
{
    [Fact]
    public async Task Waiting_ShowsOnlyTheLinesWritten_WhenNotATerminal()
    {
        var output = new StringWriter();
        var terminal = Terminal.Plain(output);

        var result = await terminal.WaitingAsync("waiting for [approval]", async status =>
        {
            await terminal.WriteLineAsync("promotion 3: r1 to production, approved");
            status("deploying");
            return 7;
        });

        result.ShouldBe(7);
        output.ToString().ShouldBe("promotion 3: r1 to production, approved\n");
    }

    [Fact]
    public async Task Waiting_ShowsASpinnerThatGoesAway_WhenATerminal()
    {
        var output = new SharedWriter();
        var terminal = Terminal.Emulated(output, 60);

        var result = await terminal.WaitingAsync("waiting for [approval]", async status =>
        {
            await output.ShowsAsync("waiting for [approval]"); // brackets and all: a status is text, not markup
            await terminal.WriteLineAsync("promotion 3: r1 to production, approved");
            status("deploying r1");
            await output.ShowsAsync("deploying r1");
            return 7;
        });

        result.ShouldBe(7);
        var text = output.ToString();
        text.ShouldContain("promotion 3: r1 to production, approved\n");
        text.ShouldStartWith("\u001b[?25l", Case.Sensitive, "the cursor hides while the spinner runs");
        text.ShouldEndWith("\u001b[?25h", Case.Sensitive, "and comes back, the spinner's line cleared, when the work ends");
    }
}
