using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Ferry.Engine.Processes;

namespace Ferry.Engine.Resources.Git;

/// <summary>
/// A bare clone of the remote under the call's work root, mirroring its branches and tags, fetched incrementally
/// by checks that find something new (a single-branch check fetches its branch alone); gets clone from it locally.
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

    /// <summary>Fetches every branch (or the followed one) and every tag, pruning deleted ones, and returns the branch a single-branch source follows.</summary>
    /// <param name="remote">What <see cref="RemoteHeadAsync"/> just said, so the remote is not asked again.</param>
    /// <param name="followedOnly">Fetch the followed branch (and the tags) alone: a check of one branch needs no other.</param>
    public async Task<string?> FetchAsync(CancellationToken cancellation, RemoteHead? remote = null, bool followedOnly = false)
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

            var branch = Source.Branch ?? (Source.ListsBranches ? null : (remote ?? await RemoteHeadAsync(cancellation)).Branch);
            var heads = followedOnly && branch is not null ? $"+refs/heads/{branch}:refs/heads/{branch}" : "+refs/heads/*:refs/heads/*";
            await Git.RunAsync(Path, ["fetch", "-q", "--prune", "--force", Source.Uri, heads, "+refs/tags/*:refs/tags/*"], cancellation);
            // HEAD names the followed branch for gets; written only when it changes (one git run less per check).
            var headFile = System.IO.Path.Combine(Path, "HEAD");
            if (branch is not null && (await File.ReadAllTextAsync(headFile, cancellation)).Trim() != "ref: refs/heads/" + branch)
                await Git.RunAsync(Path, ["symbolic-ref", "HEAD", "refs/heads/" + branch], cancellation);
            return branch;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// The branch a single-branch source follows (the source's, else the one the remote's HEAD points at) and the
    /// commit it points at on the remote now, in one <c>git ls-remote</c>, without fetching. Both null for an empty
    /// repository; the commit null for a branch the remote lacks.
    /// </summary>
    public async Task<RemoteHead> RemoteHeadAsync(CancellationToken cancellation)
    {
        string[] args = Source.Branch is { } configured
            ? ["ls-remote", Source.Uri, "refs/heads/" + configured]
            : ["ls-remote", "--symref", Source.Uri, "HEAD"];
        var output = await Git.RunAsync(null, args, cancellation);
        var branch = Source.Branch;
        string? commit = null;
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = line.TrimEnd('\r').Split('\t');
            if (fields[0].StartsWith("ref: refs/heads/", StringComparison.Ordinal))
                branch = fields[0]["ref: refs/heads/".Length..];
            else if (fields.Length == 2 && (fields[1] == "HEAD" || fields[1] == "refs/heads/" + branch))
                commit = fields[0];
        }

        return new RemoteHead(branch, branch is null ? null : commit);
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

/// <summary>A remote's branch and the commit it points at, as <c>git ls-remote</c> said.</summary>
internal sealed record RemoteHead(string? Branch, string? Commit);
