namespace Ferry.Benchmarks.Server;

/// <summary>A local bare git repository and a working clone that commits and pushes to it.</summary>
internal sealed class BenchRepository : IDisposable
{
    private readonly string _root;
    private readonly string _work;
    private int _commits;

    public string Uri => "file://" + Path.Combine(_root, "origin.git");

    private BenchRepository(string root)
    {
        _root = root;
        _work = Path.Combine(root, "work");
    }

    public static async Task<BenchRepository> CreateAsync()
    {
        var repo = new BenchRepository(Directory.CreateTempSubdirectory("ferry-bench-git-").FullName);
        var bare = Path.Combine(repo._root, "origin.git");
        await Commands.GitAsync(repo._root, "init", "-q", "--bare", "-b", "main", bare);
        await Commands.GitAsync(repo._root, "clone", "-q", bare, repo._work);
        await Commands.GitAsync(repo._work, "checkout", "-q", "-B", "main");
        return repo;
    }

    /// <summary>Commits a changed file and pushes it; returns the commit.</summary>
    public async Task<string> CommitAsync()
    {
        _commits++;
        await File.WriteAllTextAsync(Path.Combine(_work, "NOTES.md"), $"commit {_commits}\n");
        await Commands.GitAsync(_work, "add", "-A");
        await Commands.GitAsync(_work, "commit", "-q", "-m", $"commit {_commits}");
        await Commands.GitAsync(_work, "push", "-q", "origin", "HEAD:main");
        return await Commands.GitAsync(_work, "rev-parse", "HEAD");
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // best effort
        }
    }
}
