using System.Text.RegularExpressions;
using Ferry.Cli.Client;

namespace Ferry.Cli.Tests.Rendering;

public sealed partial class TableTests
{
    [Fact]
    public async Task Write_PrintsAlignedColumnsWithoutBordersColourOrTrailingSpaces_WhenNotATerminal()
    {
        var output = new StringWriter();
        var table = new Table("name", "status", "next").Add("unit", "succeeded", "").Add("integration", "failed", "#3 started").Add("package");

        await table.WriteAsync(output, "no jobs");

        output.ToString().ShouldBe(
            "NAME         STATUS     NEXT\n" +
            "unit         succeeded\n" +
            "integration  failed     #3 started\n" +
            "package\n");
    }

    [Fact]
    public async Task Write_KeepsEveryRowOnOneLine_WhenCellsAreWiderThanAnyTerminal()
    {
        var output = new StringWriter();
        var message = string.Join(' ', Enumerable.Repeat("word", 60));

        await new Table("at", "detail").Add("2026-01-02 03:04:05Z", message).WriteAsync(output, "none");

        output.ToString().ShouldBe($"AT                    DETAIL\n2026-01-02 03:04:05Z  {message}\n");
    }

    [Fact]
    public async Task Write_AlignsByDisplayWidth_WhenCellsHoldWideCharacters()
    {
        var output = new StringWriter();

        await new Table("name", "value").Add("日本", "x").Add("ab", "y").WriteAsync(output, "none");

        // Each of 日 and 本 takes two columns on a terminal: the second column starts at the same place on every line.
        output.ToString().ShouldBe("NAME  VALUE\n日本  x\nab    y\n");
    }

    [Fact]
    public async Task Write_PrintsTheEmptyText_WhenThereAreNoRows()
    {
        var output = new StringWriter();

        await new Table("name").WriteAsync(output, "pipeline 'p' has no jobs");

        output.ToString().ShouldBe("pipeline 'p' has no jobs\n");
    }

    [Fact]
    public void Add_Throws_WhenARowHasMoreCellsThanColumns() =>
        Should.Throw<ArgumentException>(() => new Table("name").Add("a", "b")).Message.ShouldContain("2 cells for 1 columns");

    [Fact]
    public async Task Write_FitsTheWidthBoldsTheHeaderAndColoursStatuses_WhenATerminal()
    {
        var output = new StringWriter();
        var table = new Table("name", "status", "reason")
            .Add("unit", "succeeded", "")
            .Add("integration", "failed", "the smoke test could not reach the app on port 8080 after three attempts")
            .Wrap("reason");

        await table.WriteAsync(Terminal.Emulated(output, 40), "none");

        var text = output.ToString();
        text.ShouldContain("\u001b[1mNAME\u001b[0m");
        text.ShouldContain("\u001b[32msucceeded\u001b[0m");
        text.ShouldContain("\u001b[91mfailed\u001b[0m");
        var lines = Ansi().Replace(text, "").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.ShouldAllBe(l => l.TrimEnd().Length <= 40);
        lines.Length.ShouldBeGreaterThan(3, "the long reason wraps onto more lines instead of running past the edge");
        string.Concat(lines.Skip(2).Select(l => l.Trim() + " ")).ShouldContain("after three attempts");
    }

    [Fact]
    public async Task Write_LetsLinesRunLong_WhenATerminalIsTooNarrowForTheColumnsThatDoNotWrap()
    {
        var output = new StringWriter();
        var reason = "the smoke test could not reach the app";
        var table = new Table("name", "status", "reason").Add("integration-tests-on-staging", "failed", reason).Wrap("reason");

        await table.WriteAsync(Terminal.Emulated(output, 40), "none");

        // No column is folded mid-word or cut: the row stays one line, as plain output has it, and the terminal folds it.
        Ansi().Replace(output.ToString(), "").Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd())
            .ShouldBe(["NAME                          STATUS  REASON", $"integration-tests-on-staging  failed  {reason}"]);
    }

    [Fact]
    public void Wrap_Throws_WhenTheColumnDoesNotExist() =>
        Should.Throw<ArgumentException>(() => new Table("name").Wrap("reason")).Message.ShouldContain("no column 'reason'");

    [GeneratedRegex("\u001b\\[[0-9;?]*[A-Za-z]")]
    private static partial Regex Ansi();
}
