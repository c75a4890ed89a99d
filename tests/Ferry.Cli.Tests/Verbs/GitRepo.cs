using System.Diagnostics;

namespace Ferry.Cli.Tests.Verbs;

/// <summary>A real git repository in a temporary directory, for resources whose previews list commits.</summary>
public sealed class GitRepo : IDisposable
{
    public GitRepo()
    {
        Git("init", "-q", "-b", "main");
        Git("config", "user.email", "ann@example.com");
        Git("config", "user.name", "Ann");
        Git("config", "commit.gpgsign", "false");
    }

    public string Path { get; } = Directory.CreateTempSubdirectory("ferry-cli-git-").FullName;

    /// <summary>Commits one file and returns the commit's sha.</summary>
    public string Commit(string file, string content, string subject)
    {
        File.WriteAllText(System.IO.Path.Combine(Path, file), content);
        Git("add", file);
        Git("commit", "-q", "-m", subject);
        return Git("rev-parse", "HEAD").Trim();
    }

    private string Git(params string[] args)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = Path, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? output : throw new InvalidOperationException($"git {string.Join(' ', args)} in {Path}: {error}");
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Left for the system's temp cleaning.
        }
    }
}
