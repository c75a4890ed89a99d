using System.Text.RegularExpressions;
using Ferry.Core.Pipelines;
using Ferry.Core.Validation;

namespace Ferry.Core.Tests.Validation;

/// <summary>Each file under broken/ states what it must produce in <c># expect-error: LINE:COL text</c> lines.</summary>
public partial class BrokenPipelineTests
{
    private static string Folder => Path.Combine(AppContext.BaseDirectory, "Validation", "broken");

    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(Folder, "*.yml").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void LoadFile_ReportsExpectedLocatedDiagnostics_ForBrokenPipeline(string file)
    {
        var path = Path.Combine(Folder, file);
        var expectations = Expectation().Matches(File.ReadAllText(path)).ToList();
        expectations.ShouldNotBeEmpty("a broken pipeline must say what it expects");

        var result = PipelineLoader.LoadFile(path);

        foreach (Match expected in expectations)
        {
            var list = expected.Groups["kind"].Value == "error" ? result.Errors : result.Warnings;
            var line = int.Parse(expected.Groups["line"].Value, System.Globalization.CultureInfo.InvariantCulture);
            var column = int.Parse(expected.Groups["column"].Value, System.Globalization.CultureInfo.InvariantCulture);
            var text = expected.Groups["text"].Value.Trim();
            list.ShouldContain(d => d.Location.Line == line && d.Location.Column == column && d.ToString().Contains(text),
                $"expected {expected.Groups["kind"].Value} {file}:{line}:{column} {text}\nbut got:\n{string.Join("\n", result.Errors.Concat(result.Warnings))}");
        }
        if (expectations.Exists(e => e.Groups["kind"].Value == "error"))
        {
            result.IsValid.ShouldBeFalse();
        }
    }

    [Fact]
    public void LoadFile_MakesWarningsErrors_WhenStrict()
    {
        var path = Path.Combine(Folder, "invalid-identifier.yml");

        var result = PipelineLoader.LoadFile(path, new PipelineLoadOptions { Strict = true });

        result.Warnings.ShouldBeEmpty();
        result.Errors.ShouldContain(d => d.Message.Contains("is not a valid identifier") && d.Severity == DiagnosticSeverity.Error);
        PipelineLoader.LoadFile(path).IsValid.ShouldBeTrue();
    }

    [Fact]
    public void Load_RejectsUnknownKeys_WhenStrict()
    {
        const string yaml = "resources:\n  - name: app\n    type: git\n    sorce: {}\njobs:\n  - name: j\n    plan: [{ get: app }]\n";

        var lax = PipelineLoader.Load(yaml, "pipeline.yml");
        var strict = PipelineLoader.Load(yaml, "pipeline.yml", new PipelineLoadOptions { Strict = true });

        lax.IsValid.ShouldBeTrue();
        lax.Warnings.ShouldContain(w => w.ToString() == "pipeline.yml:4:5 resources.app: unknown field 'sorce'");
        strict.IsValid.ShouldBeFalse();
        strict.Errors.ShouldContain(e => e.ToString() == "pipeline.yml:4:5 resources.app: unknown field 'sorce'");
    }

    [GeneratedRegex(@"^# expect-(?<kind>error|warning): (?<line>\d+):(?<column>\d+) ?(?<text>.*)$", RegexOptions.Multiline)]
    private static partial Regex Expectation();
}
