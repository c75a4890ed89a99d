namespace Ferry.Core.Tests;

/// <summary>Finds ../shared/corpus next to the repository, walking up from the test binaries.</summary>
internal static class Corpus
{
    public static string Root { get; } = Find();

    public static string CloudGov => Path.Combine(Root, "cloudgov-concourse");

    public static IEnumerable<string> PipelineFiles() =>
        Directory.EnumerateFiles(CloudGov, "*.yml").Order(StringComparer.Ordinal);

    public static string File(string name) => Path.Combine(CloudGov, name);

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (Directory.Exists(Path.Combine(dir.FullName, ".git")) || System.IO.File.Exists(Path.Combine(dir.FullName, ".git")))
            {
                var candidate = Path.Combine(dir.FullName, "..", "shared", "corpus");
                if (Directory.Exists(candidate))
                {
                    return Path.GetFullPath(candidate);
                }
            }
            var sibling = Path.Combine(dir.FullName, "shared", "corpus");
            if (Directory.Exists(sibling))
            {
                return sibling;
            }
        }
        throw new DirectoryNotFoundException(
            $"the corpus (<repo>/../shared/corpus) was not found above {AppContext.BaseDirectory}; the corpus tests need it");
    }
}
