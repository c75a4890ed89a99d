namespace Ferry.EndToEnd.Tests.Harness;

internal static class RepositoryRoot
{
    /// <summary>The folder holding Ferry.slnx, found by walking up from the test binaries.</summary>
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Ferry.slnx")))
            {
                return dir.FullName;
            }
        }
        throw new DirectoryNotFoundException($"no Ferry.slnx above {AppContext.BaseDirectory}");
    }
}
