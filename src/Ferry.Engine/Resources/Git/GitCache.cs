using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Ferry.Engine.Processes;

namespace Ferry.Engine.Resources.Git;

/// <summary>
/// A bare clone of the remote under the call's work root, mirroring its branches and tags, fetched incrementally
/// on every check; gets clone from it locally.
/// </summary>
internal sealed class GitCache
{
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Locks = new(StringComparer.Ordinal);

    private GitCache(string path, GitCli git, GitSource source)
    {
        Path = path;
        Git = git;
        Source = source;
    }

    public string Path { get; }

    public GitCli Git { get; }

    public GitSource Source { get; }

    public static GitCache For(ResourceCall call, GitSource source, ProcessRunner processes)
    {
        var root = System.IO.Path.Combine(call.WorkRoot, "git");
        Directory.CreateDirectory(root);
        var name = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(source.Uri)))[..16] + ".git";
        return new GitCache(System.IO.Path.Combine(root, name), new GitCli(source.Auth, root, call.Log, processes), source);
    }

    /// <summary>Fetches every branch and tag (pruning deleted ones) and returns the branch a single-branch source follows.</summary>
    public async Task<string?> FetchAsync(CancellationToken cancellation)
    {
        var gate = Locks.GetOrAdd(Path, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellation);
        try
        {
            if (!File.Exists(System.IO.Path.Combine(Path, "HEAD")))
            {
                await Git.RunAsync(null, ["init", "--bare", "-q", Path], cancellation);
                // Lets a shallow get fetch exactly the version's commit.
                await Git.RunAsync(Path, ["config", "uploadpack.allowAnySHA1InWant", "true"], cancellation);
            }

            var branch = Source.Branch ?? (Source.ListsBranches ? null : await RemoteHeadAsync(cancellation));
            await Git.RunAsync(Path, ["fetch", "-q", "--prune", "--force", Source.Uri, "+refs/heads/*:refs/heads/*", "+refs/tags/*:refs/tags/*"], cancellation);
            if (branch is not null)
                await Git.RunAsync(Path, ["symbolic-ref", "HEAD", "refs/heads/" + branch], cancellation);
            return branch;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>The branch the remote's HEAD points at, or null for an empty repository.</summary>
    public async Task<string?> RemoteHeadAsync(CancellationToken cancellation)
    {
        var output = await Git.RunAsync(null, ["ls-remote", "--symref", Source.Uri, "HEAD"], cancellation);
        foreach (var line in output.Split('\n'))
        {
            if (line.StartsWith("ref: refs/heads/", StringComparison.Ordinal))
                return line["ref: refs/heads/".Length..].Split('\t')[0];
        }

        return null;
    }

    /// <summary>The branch the last fetch followed (the source's or the remote's default), without going to the remote.</summary>
    public async Task<string?> CachedBranchAsync(CancellationToken cancellation)
    {
        var result = await Git.TryAsync(Path, ["symbolic-ref", "--short", "HEAD"], cancellation);
        return result.Ok ? result.Stdout.Trim() : null;
    }

    public async Task<string?> ResolveAsync(string refName, CancellationToken cancellation)
    {
        var result = await Git.TryAsync(Path, ["rev-parse", "-q", "--verify", refName + "^{commit}"], cancellation);
        return result.Ok ? result.Stdout.Trim() : null;
    }

    public async Task<bool> HasCommitAsync(string sha, CancellationToken cancellation) =>
        (await Git.TryAsync(Path, ["cat-file", "-e", sha + "^{commit}"], cancellation)).Ok;
}
