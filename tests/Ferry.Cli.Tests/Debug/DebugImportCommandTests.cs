using Ferry.Core.Resolving;
using Ferry.Storage;

namespace Ferry.Cli.Tests.Debug;

/// <summary><c>ferry debug import-versions-db</c> on a real SQLite store under a temporary data directory.</summary>
public sealed class DebugImportCommandTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("ferry-import-").FullName;

    public void Dispose() => Directory.Delete(_data, recursive: true);

    [Fact]
    public async Task ImportVersionsDb_WritesAHistoryThatResolvesAsTheDump_WhenThePipelineIsNew()
    {
        var (exit, output, error) = await Run("debug", "import-versions-db", Dump("booklit.json.gz"), "-p", "booklit", "--data", _data);

        exit.ShouldBe(0, error);
        output.ShouldContain("into pipeline 'booklit' (paused)");
        await using var store = await StoreFactory.OpenAsync(_data, null);
        var pipeline = (await store.GetPipelineAsync("booklit"))!;
        pipeline.Paused.ShouldBeTrue();
        var rows = await store.GetResolverRowsAsync(pipeline.Id);
        var snapshot = new ResolverSnapshot(rows.Resources, rows.Jobs, rows.Versions, rows.Builds, rows.Outputs, rows.Inputs, rows.Pipes);
        // The dump's own expected result (corpus README): booklit through unit resolves to imported-r1v26528.
        var resolution = Resolver.Resolve(snapshot, "current", [new InputConfig("booklit", "booklit", ["unit"])]);
        resolution.Ok.ShouldBeTrue();
        var version = await store.GetVersionAsync(resolution.Values["booklit"].VersionId);
        version!.Version.Version["ref"].ShouldBe("imported-r1v26528");
    }

    [Fact]
    public async Task ImportVersionsDb_ExitsOneAndNamesThePipeline_WhenItExists()
    {
        (await Run("debug", "import-versions-db", Dump("booklit.json.gz"), "-p", "taken", "--data", _data)).Exit.ShouldBe(0);

        var (exit, _, error) = await Run("debug", "import-versions-db", Dump("booklit.json.gz"), "-p", "taken", "--data", _data);

        exit.ShouldBe(1);
        error.ShouldContain("pipeline 'taken' already exists");
    }

    [Fact]
    public async Task ImportVersionsDb_ExitsTwoAndNamesTheFile_WhenItIsNotADump()
    {
        var file = Path.Combine(_data, "bad.json");
        await File.WriteAllTextAsync(file, """{"Jobs": []}""");

        var (exit, _, error) = await Run("debug", "import-versions-db", file, "-p", "bad", "--data", _data);

        exit.ShouldBe(2);
        error.ShouldContain(file);
        error.ShouldContain("no 'ResourceVersions'");
    }

    private static string Dump(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Ferry.slnx")))
            {
                return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "corpus", "concourse-versions-db", name));
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
}
