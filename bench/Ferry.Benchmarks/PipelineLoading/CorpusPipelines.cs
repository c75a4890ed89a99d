namespace Ferry.Benchmarks.PipelineLoading;

/// <summary>The corpus pipelines (../shared/corpus/cloudgov-concourse/*.yml next to the repository).</summary>
internal static class CorpusPipelines
{
    public static string Folder { get; } = Find();

    public static IEnumerable<string> Names() =>
        Directory.EnumerateFiles(Folder, "*.yml").Select(Path.GetFileName).Order(StringComparer.Ordinal)!;

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Ferry.slnx")))
            {
                return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "corpus", "cloudgov-concourse"));
            }
        }
        throw new DirectoryNotFoundException($"no Ferry.slnx above {AppContext.BaseDirectory}; cannot locate ../shared/corpus");
    }
}
