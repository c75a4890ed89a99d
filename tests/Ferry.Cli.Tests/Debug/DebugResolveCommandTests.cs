using System.Text.Json;

namespace Ferry.Cli.Tests.Debug;

public sealed class DebugResolveCommandTests
{
    private static string Dump(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Ferry.slnx")))
            {
                var path = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "corpus", "concourse-versions-db", name));
                return File.Exists(path) ? path : throw new FileNotFoundException($"the corpus is missing: expected {path}");
            }
        }
        throw new DirectoryNotFoundException($"no Ferry.slnx above {AppContext.BaseDirectory}; cannot locate ../shared/corpus");
    }

    private static async Task<(int Exit, string Out, string Err)> Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await FerryCommand.RunAsync(args, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Resolve_PrintsJsonAndExitsZero_WhenBooklitResolves()
    {
        var (exit, output, _) = await Run("debug", "resolve", "--versions-db", Dump("booklit.json.gz"), "--input", "booklit=booklit:unit", "--json");
        exit.ShouldBe(0);
        using var json = JsonDocument.Parse(output);
        json.RootElement.GetProperty("ok").GetBoolean().ShouldBeTrue();
        json.RootElement.GetProperty("values").GetProperty("booklit").GetString().ShouldBe("imported-r1v26528");
        json.RootElement.GetProperty("errors").EnumerateObject().ShouldBeEmpty();
        json.RootElement.GetProperty("elapsedMs").GetDouble().ShouldBeGreaterThanOrEqualTo(0);
    }

    [Fact]
    public async Task Resolve_PrintsTable_WhenBoshResolvesWithDefaultResourceNames()
    {
        var (exit, output, _) = await Run("debug", "resolve", "--versions-db", Dump("bosh-versions.json.gz"),
            "--input", "bosh-src:unit-1.9,unit-2.1,integration-2.1-mysql,integration-1.9-postgres,integration-2.1-postgres",
            "--input", "bosh-load-tests");
        exit.ShouldBe(0);
        output.ShouldContain("bosh-src         imported-r88v9814");
        output.ShouldContain("bosh-load-tests  imported-r89v7204");
    }

    [Fact]
    public async Task Resolve_ExitsOneWithErrors_WhenPinAndPassedFail()
    {
        var (exit, output, _) = await Run("debug", "resolve", "--versions-db", Dump("booklit.json.gz"),
            "--input", "b=booklit:no-such-job", "--input", "p=booklit@pin=imported-r1v1", "--json");
        exit.ShouldBe(1);
        using var json = JsonDocument.Parse(output);
        var errors = json.RootElement.GetProperty("errors");
        errors.GetProperty("b").GetString().ShouldBe("no satisfiable builds from passed jobs found for set of inputs");
        errors.GetProperty("p").GetString().ShouldBe("pinned version ver:imported-r1v1 not found");
        json.RootElement.GetProperty("blockers").GetProperty("b")[0].GetProperty("reason").GetString().ShouldBe("no job named 'no-such-job'");
        output.ShouldContain("\"no job named 'no-such-job'\"");
    }

    [Fact]
    public async Task Resolve_TakesPinnedVersion_WhenPinNamesOne()
    {
        var (exit, output, _) = await Run("debug", "resolve", "--versions-db", Dump("booklit.json.gz"),
            "--input", "booklit@pin=imported-r1v26510", "--json");
        exit.ShouldBe(0);
        JsonDocument.Parse(output).RootElement.GetProperty("values").GetProperty("booklit").GetString().ShouldBe("imported-r1v26510");
    }

    [Theory]
    [InlineData("a@sometimes")]
    [InlineData("=app")]
    [InlineData("a=")]
    [InlineData("a:unit,,integration")]
    public async Task Resolve_ExitsTwo_WhenInputSyntaxIsWrong(string input)
    {
        var (exit, _, error) = await Run("debug", "resolve", "--versions-db", Dump("booklit.json.gz"), "--input", input);
        exit.ShouldBe(2);
        error.ShouldContain($"--input '{input}'");
    }

    [Fact]
    public async Task Resolve_ExitsTwo_WhenDumpIsMissingOrNotADump()
    {
        var missing = await Run("debug", "resolve", "--versions-db", "/nonexistent/dump.json.gz", "--input", "a");
        missing.Exit.ShouldBe(2);
        missing.Err.ShouldContain("/nonexistent/dump.json.gz");

        var notJson = Path.GetTempFileName();
        await File.WriteAllTextAsync(notJson, "this is not json");
        try
        {
            var bad = await Run("debug", "resolve", "--versions-db", notJson, "--input", "a");
            bad.Exit.ShouldBe(2);
            bad.Err.ShouldContain("not a versions dump");
        }
        finally
        {
            File.Delete(notJson);
        }
    }

    [Fact]
    public async Task Resolve_ExitsTwo_WhenNoInputIsGiven()
    {
        var (exit, _, _) = await Run("debug", "resolve", "--versions-db", Dump("booklit.json.gz"));
        exit.ShouldBe(2);
    }
}
