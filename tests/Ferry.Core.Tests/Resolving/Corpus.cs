using System.IO.Compression;
using Ferry.Core.Resolving.VersionsDb;

namespace Ferry.Core.Tests.Resolving;

/// <summary>Finds shared/corpus next to the repository (the folder holding Ferry.slnx) and loads dumps from it.</summary>
internal static class Corpus
{
    public static string VersionsDbFolder => Path.Combine(Root, "concourse-versions-db");

    public static string Root
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Ferry.slnx")))
                {
                    var corpus = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "corpus"));
                    return Directory.Exists(corpus)
                        ? corpus
                        : throw new DirectoryNotFoundException($"the corpus is missing: expected {corpus} next to {dir.FullName}");
                }
            }
            throw new DirectoryNotFoundException($"no Ferry.slnx above {AppContext.BaseDirectory}; cannot locate ../shared/corpus");
        }
    }

    public static VersionsDump LoadDump(string fileName)
    {
        var path = Path.Combine(VersionsDbFolder, fileName);
        using var file = File.OpenRead(path);
        using var gz = new GZipStream(file, CompressionMode.Decompress);
        return VersionsDumpLoader.Load(gz, path);
    }
}

/// <summary>Each dump loaded once for a whole test class.</summary>
public sealed class DumpFixture
{
    private readonly Dictionary<string, Lazy<VersionsDump>> _dumps = new[]
    {
        "booklit.json.gz", "bosh-versions.json.gz", "concourse-versions-high-cpu-deploy.json.gz",
        "hush-house-6.json.gz", "relint-versions-2.json.gz",
    }.ToDictionary(n => n, n => new Lazy<VersionsDump>(() => Corpus.LoadDump(n)));

    public VersionsDump this[string fileName] => _dumps[fileName].Value;
}
