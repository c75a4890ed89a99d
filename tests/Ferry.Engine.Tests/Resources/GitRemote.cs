using System.Diagnostics;
using System.Text.Json.Nodes;
using Ferry.Engine.Resources;

namespace Ferry.Engine.Tests.Resources;

/// <summary>A real bare repository in a temp dir, with a working clone to make commits in.</summary>
internal sealed class GitRemote : IDisposable
{
    private int _clock;

    public GitRemote(string branch = "main")
    {
        Root = Directory.CreateTempSubdirectory("ferry-git-").FullName;
        Bare = Path.Combine(Root, "remote.git");
        Work = Path.Combine(Root, "clone");
        Run(Root, "init", "-q", "--bare", $"--initial-branch={branch}", Bare);
        Run(Root, "init", "-q", $"--initial-branch={branch}", Work);
        Run(Work, "remote", "add", "origin", Bare);
    }

    public string Root { get; }

    public string Bare { get; }

    public string Work { get; }

    public string Uri => "file://" + Bare;

    public StringWriter Log { get; } = new();

    public ResourceCall Call() => new(Log, new Dictionary<string, string>(), Path.Combine(Root, "cache"));

    public JsonObject Source(string extra = "") => JsonNode.Parse($$"""{"uri": "{{Uri}}" {{extra}} }""")!.AsObject();

    /// <summary>Writes a file, commits and pushes it; returns the commit.</summary>
    public string Commit(string file, string content, string message, string branch = "main", bool force = false)
    {
        var path = Path.Combine(Work, file);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        Run(Work, "add", "-A");
        Run(Work, "commit", "-q", "-m", message);
        Run(Work, "push", "-q", force ? "--force" : "--no-force", "origin", $"HEAD:refs/heads/{branch}");
        return Head();
    }

    public string Head() => Run(Work, "rev-parse", "HEAD").Trim();

    public string Run(string directory, params string[] args)
    {
        var info = new ProcessStartInfo("git") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-c", "user.name=Tess Ter", "-c", "user.email=tess@example.test", "-c", "commit.gpgsign=false" }.Concat(args))
            info.ArgumentList.Add(a);
        // Distinct, increasing dates so ordering by date is deterministic within one second.
        var date = $"2026-01-01T00:{_clock / 60:00}:{_clock % 60:00}Z";
        _clock++;
        info.Environment["GIT_AUTHOR_DATE"] = date;
        info.Environment["GIT_COMMITTER_DATE"] = date;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"git {string.Join(' ', args)} failed: {stderr}");
        return stdout.Result;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
