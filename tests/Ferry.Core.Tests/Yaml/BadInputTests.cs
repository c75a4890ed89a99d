using System.Text;
using Ferry.Core.Pipelines;
using Ferry.Core.Validation;

namespace Ferry.Core.Tests.Yaml;

/// <summary>Hostile or broken files get one clear located error from the loader: never a crash, a hang or a stack overflow.</summary>
public sealed class BadInputTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ferry-bad-input-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>Runs the load off the test thread so a hang fails the test instead of blocking the run.</summary>
    internal static PipelineLoadResult WithinTimeout(Func<PipelineLoadResult> load)
    {
        var task = Task.Run(load);
        task.Wait(TimeSpan.FromSeconds(10)).ShouldBeTrue("loading did not finish within 10 s: a hang");
        return task.Result;
    }

    private static Diagnostic SingleError(PipelineLoadResult result)
    {
        result.IsValid.ShouldBeFalse();
        result.Pipeline.ShouldBeNull();
        return result.Errors.ShouldHaveSingleItem();
    }

    internal static string Flow(int depth) => "jobs: " + new string('[', depth) + new string(']', depth) + "\n";

    internal static string Block(int depth)
    {
        var text = new StringBuilder();
        for (var level = 0; level < depth; level++)
        {
            text.Append(' ', level * 2).Append("a:\n");
        }
        return text.ToString();
    }

    /// <summary>Nine levels of ten aliases each: 10^9 nodes once expanded, from a file of under 1 KB.</summary>
    internal static string BillionLaughs()
    {
        var text = new StringBuilder("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (var level = 1; level <= 9; level++)
        {
            var alias = $"*a{level - 1}";
            text.Append($"a{level}: &a{level} [").AppendJoin(", ", Enumerable.Repeat(alias, 10)).Append("]\n");
        }
        return text.ToString();
    }

    [Fact]
    public void LoadFile_LocatesNulByte_WhenFileIsBinary()
    {
        var path = Write("binary.yml", [.. "resources:\n  - name: a"u8, 0, .. "b\n"u8]);

        var error = SingleError(WithinTimeout(() => PipelineLoader.LoadFile(path)));

        error.ToString().ShouldBe("binary.yml:2:12 binary content (a NUL byte): not a YAML text file");
    }

    [Fact]
    public void LoadFile_LocatesNulByte_WhenFileIsRandomBinary()
    {
        var bytes = new byte[64 * 1024];
        new Random(7).NextBytes(bytes);
        bytes[0] = (byte)'x';
        bytes[1] = 0;
        var path = Write("random.bin", bytes);

        var error = SingleError(WithinTimeout(() => PipelineLoader.LoadFile(path)));

        error.ToString().ShouldBe("random.bin:1:2 binary content (a NUL byte): not a YAML text file");
    }

    [Fact]
    public void Load_LocatesNulCharacter_WhenTextHoldsOne()
    {
        var error = SingleError(WithinTimeout(() => PipelineLoader.Load("jobs:\n\n  -\0\n", "text.yml")));

        error.ToString().ShouldBe("text.yml:3:4 binary content (a NUL byte): not a YAML text file");
    }

    [Fact]
    public void LoadFile_LocatesFirstBadByte_WhenFileIsNotUtf8()
    {
        // "café" in Latin-1: 0xE9 starts a three-byte UTF-8 sequence that the newline breaks.
        var path = Write("latin1.yml", [.. "jobs:\n  - name: caf"u8, 0xE9, .. "\n"u8]);

        var error = SingleError(WithinTimeout(() => PipelineLoader.LoadFile(path)));

        error.ToString().ShouldBe("latin1.yml:2:14 invalid UTF-8: not a YAML text file");
    }

    [Fact]
    public void LoadFile_LocatesFirstBadByte_WhenUtf8SequenceIsOverlong()
    {
        var path = Write("overlong.yml", [.. "a: b\nc: "u8, 0xC0, 0xAF, .. "\n"u8]);

        var error = SingleError(WithinTimeout(() => PipelineLoader.LoadFile(path)));

        error.ToString().ShouldBe("overlong.yml:2:4 invalid UTF-8: not a YAML text file");
    }

    [Fact]
    public void LoadFile_RefusesBeforeReading_WhenFileIs50MB()
    {
        var path = Path.Combine(_dir, "huge.yml");
        using (var file = File.Create(path))
        {
            file.SetLength(50L * 1024 * 1024);
        }

        var error = SingleError(WithinTimeout(() => PipelineLoader.LoadFile(path)));

        error.ToString().ShouldBe("huge.yml:1:1 file is 50.0 MB; the limit is 10 MB");
    }

    [Fact]
    public void Load_Refuses_WhenTextIs50MB()
    {
        var text = "# " + new string('x', (50 * 1024 * 1024) - 3) + "\n";

        var error = SingleError(WithinTimeout(() => PipelineLoader.Load(text, "huge.yml")));

        error.Location.ToString().ShouldBe("huge.yml:1:1");
        error.Message.ShouldBe("file is 50.0 MB; the limit is 10 MB");
    }

    [Fact]
    public void Load_RefusesBeforeRewritingLegacyPlaceholders_WhenTextIs50MB()
    {
        var text = string.Concat(Enumerable.Repeat("a: {{x}}\n", 50 * 1024 * 1024 / 9));

        var error = SingleError(WithinTimeout(() => PipelineLoader.Load(text, "legacy.yml")));

        error.ToString().ShouldBe("legacy.yml:1:1 file is 50.0 MB; the limit is 10 MB");
    }

    [Fact]
    public void Load_Refuses_WhenMultiByteTextIsOverLimitInUtf8()
    {
        // 4 M characters of three UTF-8 bytes each: under the limit in chars, 12 MB on disk.
        var text = "a: " + new string('€', 4 * 1024 * 1024) + "\n";

        var error = SingleError(WithinTimeout(() => PipelineLoader.Load(text, "euro.yml")));

        error.ToString().ShouldBe("euro.yml:1:1 file is 12.0 MB; the limit is 10 MB");
    }

    [Fact]
    public void Load_StopsAtDepthLimit_WhenFlowNesting1000Deep()
    {
        var error = SingleError(WithinTimeout(() => PipelineLoader.Load(Flow(1000), "flow.yml")));

        // The root mapping is level 1, so the 200th '[' (column 7 + 199) is one level too deep.
        error.ToString().ShouldBe("flow.yml:1:206 nesting deeper than 200 levels");
    }

    [Fact]
    public void Load_StopsAtDepthLimit_WhenFlowMappingsNest1000Deep()
    {
        var text = "jobs: " + string.Concat(Enumerable.Repeat("{a: ", 1000)) + "b" + new string('}', 1000) + "\n";

        var error = SingleError(WithinTimeout(() => PipelineLoader.Load(text, "flowmap.yml")));

        error.ToString().ShouldBe($"flowmap.yml:1:{7 + (199 * 4)} nesting deeper than 200 levels");
    }

    [Fact]
    public void Load_StopsAtDepthLimit_WhenBlockNesting1000Deep()
    {
        var error = SingleError(WithinTimeout(() => PipelineLoader.Load(Block(1000), "block.yml")));

        error.ToString().ShouldBe("block.yml:201:401 nesting deeper than 200 levels");
    }

    [Fact]
    public void Load_StopsAtDepthLimit_WhenBlockSequencesNest1000Deep()
    {
        var text = new StringBuilder("jobs:\n");
        for (var level = 0; level < 1000; level++)
        {
            text.Append(' ', level * 2).Append("-\n");
        }

        var error = SingleError(WithinTimeout(() => PipelineLoader.Load(text.ToString(), "dashes.yml")));

        error.ToString().ShouldBe("dashes.yml:201:399 nesting deeper than 200 levels");
    }

    [Fact]
    public void Load_LoadsDeepNesting_WhenUnderLimit()
    {
        var text = "resources: [{name: app, type: git, source: {x: " + new string('[', 150) + new string(']', 150) + "}}]\n"
            + "jobs: [{name: j, plan: [{get: app}]}]\n";

        var result = WithinTimeout(() => PipelineLoader.Load(text, "deep.yml"));

        result.Errors.ShouldBeEmpty(string.Join("\n", result.Errors));
    }

    [Fact]
    public void Load_StopsExpansion_WhenAliasBomb()
    {
        var error = SingleError(WithinTimeout(() => PipelineLoader.Load(BillionLaughs(), "lol.yml")));

        error.Message.ShouldBe("document expands to more than 1,000,000 nodes (too many aliases: an alias expansion bomb?)");
        // a4 stands for 111,111 nodes; the eighth '*a4' on line 6 (column 10 + 7 * 5) crosses the limit.
        error.Location.ToString().ShouldBe("lol.yml:6:45");
    }

    [Fact]
    public void Load_StopsExpansion_WhenAliasBombHidesInMergeKeys()
    {
        var text = new StringBuilder("m0: &m0 {a: 1, b: 2, c: 3, d: 4, e: 5, f: 6, g: 7, h: 8, i: 9, j: 10}\n");
        for (var level = 1; level <= 9; level++)
        {
            text.Append($"m{level}: &m{level} [").AppendJoin(", ", Enumerable.Range(0, 10).Select(_ => $"{{<<: *m{level - 1}}}")).Append("]\n");
        }

        var error = SingleError(WithinTimeout(() => PipelineLoader.Load(text.ToString(), "merge.yml")));

        error.Message.ShouldContain("document expands to more than 1,000,000 nodes");
        error.Location.Line.ShouldBeGreaterThan(1);
    }

    [Fact]
    public void Load_LoadsWithinTimeout_WhenAliasesExpandJustUnderLimit()
    {
        // 10^5 strings in one resource's source: big but legal, and it must not be slow to read and validate.
        var bomb = BillionLaughs().Split('\n').Take(5);
        var text = "x-anchors:\n" + string.Concat(bomb.Select(l => "  " + l + "\n"))
            + "resources: [{name: app, type: git, source: {big: *a4}}]\njobs: [{name: j, plan: [{get: app}]}]\n";

        var result = WithinTimeout(() => PipelineLoader.Load(text, "big.yml"));

        result.Errors.ShouldBeEmpty(string.Join("\n", result.Errors));
        result.Pipeline!.Resources[0].Source["big"]!.AsArray().Count.ShouldBe(10);
    }

    public static TheoryData<string, string, string> Malformed() => new()
    {
        { "resources:\n  - name: app\n    type: git\n  source: [unclosed\njobs: []\n", "4:3", "did not find expected '-' indicator" },
        { "jobs: [a, b\n", "2:1", "did not find expected ',' or ']'" },
        { "jobs:\n  - name: \"unterminated\n", "2:11", "While scanning a quoted scalar, found unexpected end of stream" },
        { "jobs:\n\t- name: tab\n", "2:1", "found invalid tab as indentation" },
        { "a:\n  b: 1\n  c:\n  \t d: 2\n", "4:3", "found invalid tab as indentation" },
        { "resources:\n  - name: app\n     type: git\n", "3:10", "found invalid mapping" },
        { "jobs: *nowhere\n", "1:7", "unknown anchor 'nowhere' referenced" },
        { "? [a, b]\n: c\n", "1:3", "a mapping key must be a scalar, not a sequence" },
        { "jobs: {a: 1\n", "2:1", "did not find expected ',' or '}'" },
        { "jobs: [\n  - x\n", "2:3", "" },
        { "a: b: c\n", "1:5", "found invalid mapping" },
        { "- a\nb: c\n", "2:1", "did not find expected '-' indicator" },
        { "jobs: !!binary |\n  ???\n", "", "" },
        { "a: @b\n", "1:4", "found character that cannot start any token" },
        { "<<: 3\n", "1:5", "a merge key (<<) needs a mapping or a list of mappings, not a integer" },
        { "", "1:1", "the pipeline is empty" },
        { "just a string\n", "1:1", "a pipeline must be a mapping, not a string" },
        { "[1, 2]\n", "1:1", "a pipeline must be a mapping, not a sequence" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Load_ReportsLocatedError_WhenYamlIsMalformed(string yaml, string at, string message)
    {
        var result = WithinTimeout(() => PipelineLoader.Load(yaml, "bad.yml"));

        result.IsValid.ShouldBeFalse();
        var error = result.Errors[0];
        error.Location.File.ShouldBe("bad.yml");
        error.Location.Line.ShouldBeGreaterThanOrEqualTo(1);
        error.Location.Column.ShouldBeGreaterThanOrEqualTo(1);
        error.Message.ShouldNotBeNullOrWhiteSpace();
        if (at.Length > 0)
        {
            $"{error.Location.Line}:{error.Location.Column}".ShouldBe(at, error.ToString());
        }
        error.Message.ShouldContain(message, Case.Sensitive, error.ToString());
    }
}
