using System.Text;
using Ferry.Cli;

namespace Ferry.Cli.Tests.Validate;

/// <summary><c>ferry validate</c> on hostile files: one located error, exit 1, never a crash or a hang.</summary>
public sealed class ValidateBadInputTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ferry-validate-bad-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static async Task<(int Code, string Out, string Err)> Validate(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        // WaitAsync throws TimeoutException: a hang fails the test instead of blocking the run.
        var code = await Task.Run(() => FerryCommand.RunAsync(["validate", .. args], output, error)).WaitAsync(TimeSpan.FromSeconds(10));
        return (code, output.ToString(), error.ToString());
    }

    private static string Nested(int depth) => "jobs: " + new string('[', depth) + new string(']', depth) + "\n";

    private static string Bomb()
    {
        var text = new StringBuilder("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (var level = 1; level <= 9; level++)
        {
            text.Append($"a{level}: &a{level} [").AppendJoin(", ", Enumerable.Repeat($"*a{level - 1}", 10)).Append("]\n");
        }
        return text.ToString();
    }

    public static TheoryData<string, byte[], string> Files() => new()
    {
        { "binary.yml", [.. "jobs:\n  - "u8, 0, 1, 2, 0xFF], "error: binary.yml:2:5 binary content (a NUL byte): not a YAML text file" },
        { "latin1.yml", [.. "jobs:\n  - name: caf"u8, 0xE9, .. "\n"u8], "error: latin1.yml:2:14 invalid UTF-8: not a YAML text file" },
        { "flow.yml", Encoding.UTF8.GetBytes(Nested(1000)), "error: flow.yml:1:206 nesting deeper than 200 levels" },
        { "lol.yml", Encoding.UTF8.GetBytes(Bomb()), "error: lol.yml:6:45 document expands to more than 1,000,000 nodes" },
        { "malformed.yml", "resources:\n  - name: app\n    type: git\n  source: [unclosed\n"u8.ToArray(),
            "error: malformed.yml:4:3 While parsing a block collection, did not find expected '-' indicator." },
    };

    [Theory]
    [MemberData(nameof(Files))]
    public async Task Validate_PrintsLocatedErrorAndExits1_ForBadFile(string name, byte[] content, string expected)
    {
        var (code, output, _) = await Validate("-c", Write(name, content));

        code.ShouldBe(ExitCodes.Failed);
        output.ShouldContain(expected);
        output.ShouldContain($"{name}: invalid (1 error)");
    }

    [Fact]
    public async Task Validate_RefusesAndExits1_WhenFileIs50MB()
    {
        var path = Path.Combine(_dir, "huge.yml");
        using (var file = File.Create(path))
        {
            file.SetLength(50L * 1024 * 1024);
        }

        var (code, output, _) = await Validate("-c", path);

        code.ShouldBe(ExitCodes.Failed);
        output.ShouldContain("error: huge.yml:1:1 file is 50.0 MB; the limit is 10 MB");
    }

    [Fact]
    public async Task Validate_Exits1WithLocatedError_WhenVarsFileIsBinary()
    {
        var pipeline = Write("pipeline.yml", "jobs: []\n"u8.ToArray());
        var vars = Write("vars.yml", [.. "a: "u8, 0]);

        var (code, _, error) = await Validate("-c", pipeline, "-l", vars);

        code.ShouldBe(ExitCodes.Failed);
        error.ShouldContain("vars.yml:1:4 binary content (a NUL byte)");
    }
}
