namespace Ferry.EndToEnd.Tests.Harness;

/// <summary>A real bare git repository with a working clone to commit from, in a temp directory.</summary>
internal sealed class GitRepository : IAsyncDisposable
{
    private readonly string root;
    private readonly string work;

    public string BarePath { get; }

    public string Uri => "file://" + BarePath;

    private GitRepository(string root)
    {
        this.root = root;
        BarePath = Path.Combine(root, "origin.git");
        work = Path.Combine(root, "work");
    }

    public static async Task<GitRepository> CreateAsync(string? seedDirectory = null)
    {
        var repo = new GitRepository(Directory.CreateTempSubdirectory("ferry-e2e-git-").FullName);
        await Shell.GitAsync(repo.root, "init", "-q", "--bare", "-b", "main", repo.BarePath);
        await Shell.GitAsync(repo.root, "clone", "-q", repo.BarePath, repo.work);
        await Shell.GitAsync(repo.work, "checkout", "-q", "-B", "main");
        if (seedDirectory is not null)
        {
            CopyDirectory(seedDirectory, repo.work);
            await repo.CommitAllAsync("initial commit");
        }
        return repo;
    }

    /// <summary>Writes a file in the working clone (creating folders), commits and pushes; returns the commit.</summary>
    public async Task<string> CommitAsync(string relativePath, string content, string message)
    {
        var path = Path.Combine(work, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllTextAsync(path, content);
        return await CommitAllAsync(message);
    }

    public async Task<string> CommitAllAsync(string message)
    {
        await Shell.GitAsync(work, "add", "-A");
        await Shell.GitAsync(work, "commit", "-q", "--allow-empty", "-m", message);
        await Shell.GitAsync(work, "push", "-q", "origin", "HEAD:main");
        return await Shell.GitAsync(work, "rev-parse", "HEAD");
    }

    /// <summary>Commits a change on a new branch off main and pushes it (as a pull request's branch); the clone stays on main.</summary>
    public async Task<string> CommitOnBranchAsync(string branch, string relativePath, string content, string message)
    {
        await Shell.GitAsync(work, "checkout", "-q", "-b", branch);
        try
        {
            var path = Path.Combine(work, relativePath);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllTextAsync(path, content);
            await Shell.GitAsync(work, "add", "-A");
            await Shell.GitAsync(work, "commit", "-q", "-m", message);
            await Shell.GitAsync(work, "push", "-q", "origin", $"HEAD:refs/heads/{branch}");
            return await Shell.GitAsync(work, "rev-parse", "HEAD");
        }
        finally
        {
            await Shell.GitAsync(work, "checkout", "-q", "main");
        }
    }

    /// <summary>Deletes a branch from the repository (a pull request merged or closed).</summary>
    public Task DeleteBranchAsync(string branch) => Shell.GitAsync(work, "push", "-q", "origin", "--delete", branch);

    public string ReadFile(string relativePath) => File.ReadAllText(Path.Combine(work, relativePath));

    private static void CopyDirectory(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(target, File.GetUnixFileMode(file));
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        try
        {
            Directory.Delete(root, recursive: true);
        }
        catch (IOException)
        {
            // A process of the server may still hold a file; the temp folder is cleaned by the OS later.
        }
        return ValueTask.CompletedTask;
    }
}
