using System.Text.Json;
using System.Text.Json.Nodes;
using Ferry.Core.Versions;

namespace Ferry.Engine.Resources.Git;

/// <summary>
/// Get: a real working copy of the version's commit (with <c>.git</c>, origin set to the source uri, the branch
/// checked out at the commit) and Concourse's <c>.git/ref</c>, <c>.git/short_ref</c>, <c>.git/commit_message</c> files.
/// </summary>
internal static class GitGet
{
    public static readonly ConfigSchema Schema = new(
    [
        new ConfigField("depth", FieldKind.Integer),
        new ConfigField("submodules", FieldKind.Any),
        new ConfigField("branch", FieldKind.String),
    ]);

    public static async Task<ResourceVersion> GetAsync(GitCache cache, ResourceVersion version, JsonObject @params, string directory, CancellationToken cancellation)
    {
        Schema.Enforce(@params, "params");
        var read = new ConfigReader(@params, "params");
        var depth = read.Integer("depth");
        if (depth is < 1)
            throw new ResourceConfigException("params.depth: must be at least 1");

        if (cache.Source.ListsBranches && read.String("branch") is null && !GitBranchSet.IsBranchHead(version))
        {
            await File.WriteAllTextAsync(Path.Combine(directory, "branches.json"), JsonSerializer.Serialize(GitBranchSet.Heads(version)), cancellation);
            return version;
        }

        var (sha, branch) = Target(cache.Source, version, read);
        // The cache usually has the commit already (the check found it there); only go to the remote when not.
        var cached = File.Exists(Path.Combine(cache.Path, "HEAD")) && await cache.HasCommitAsync(sha, cancellation);
        // Without the commit in the cache (a get on a fresh worker), fetch first, whatever branch the version names.
        var followed = cached ? await cache.CachedBranchAsync(cancellation) : await cache.FetchAsync(cancellation);
        branch ??= followed ?? "main";
        if (!cached && !await cache.HasCommitAsync(sha, cancellation))
            throw ResourceException.Terminal($"git get: commit {sha} is not in {cache.Source.Uri} any more (force-pushed away?)");

        var git = cache.Git;
        await git.RunAsync(directory, ["init", "-q"], cancellation);
        await git.RunAsync(directory, ["remote", "add", "origin", "file://" + cache.Path], cancellation);
        if (depth is { } d)
            await git.RunAsync(directory, ["fetch", "-q", $"--depth={d}", "origin", sha], cancellation);
        else
        {
            await git.RunAsync(directory, ["fetch", "-q", "origin", "+refs/heads/*:refs/remotes/origin/*", "+refs/tags/*:refs/tags/*"], cancellation);
            // A commit no branch holds any more (a deleted pull request branch) still sits in the cache: ask for it by name.
            if (!(await git.TryAsync(directory, ["cat-file", "-e", sha + "^{commit}"], cancellation)).Ok)
                await git.RunAsync(directory, ["fetch", "-q", "origin", sha], cancellation);
        }
        await git.RunAsync(directory, ["checkout", "-q", "-B", branch, sha], cancellation);
        await git.RunAsync(directory, ["remote", "set-url", "origin", cache.Source.Uri], cancellation);
        await git.TryAsync(directory, ["branch", "-q", $"--set-upstream-to=origin/{branch}"], cancellation);
        await SubmodulesAsync(git, directory, @params, cancellation);

        var log = await git.RunAsync(directory, ["log", "-1", "--format=%h%x1f%cn <%ce>%x1f%an <%ae>%x1f%B", sha], cancellation);
        var parts = log.Split('\x1f');
        var gitDir = Path.Combine(directory, ".git");
        await File.WriteAllTextAsync(Path.Combine(gitDir, "ref"), sha + "\n", cancellation);
        await File.WriteAllTextAsync(Path.Combine(gitDir, "short_ref"), parts[0] + "\n", cancellation);
        await File.WriteAllTextAsync(Path.Combine(gitDir, "committer"), parts[1] + "\n", cancellation);
        await File.WriteAllTextAsync(Path.Combine(gitDir, "author"), parts[2] + "\n", cancellation);
        await File.WriteAllTextAsync(Path.Combine(gitDir, "commit_message"), parts[3].TrimEnd() + "\n", cancellation);
        await File.WriteAllTextAsync(Path.Combine(gitDir, "branch"), branch + "\n", cancellation);

        if (cache.Source.ListsBranches)
            return version;
        var described = await GitMetadata.VersionsAsync(git, cache.Path, [sha], branch, cancellation);
        return new ResourceVersion(version.Version, described[0].Metadata);
    }

    private static (string Sha, string? Branch) Target(GitSource source, ResourceVersion version, ConfigReader read)
    {
        if (!source.ListsBranches || GitBranchSet.IsBranchHead(version))
        {
            // Tagged versions carry the commit the tag named when checked; the tag may have moved since.
            var sha = version.Version.GetValueOrDefault("commit") ?? version.Version.GetValueOrDefault("ref") ?? throw ResourceException.Terminal($"git get: version {version.Key} has no 'ref'");
            return (sha, read.String("branch") ?? version.Version.GetValueOrDefault(GitBranchSet.BranchField) ?? source.Branch);
        }

        var branch = read.String("branch")!;
        var heads = GitBranchSet.Heads(version);
        return heads.TryGetValue(branch, out var head)
            ? (head, branch)
            : throw ResourceException.Terminal($"params.branch: '{branch}' is not in this version (branches: {string.Join(", ", heads.Keys)})");
    }

    private static async Task SubmodulesAsync(GitCli git, string directory, JsonObject @params, CancellationToken cancellation)
    {
        var node = @params["submodules"];
        List<string> paths;
        if (node is null || (node is JsonValue v && v.TryGetValue<string>(out var s) && s == "none"))
            return;
        if (node is JsonValue all && all.TryGetValue<string>(out var a) && a == "all")
            paths = [];
        else if (node is JsonArray)
            paths = new ConfigReader(@params, "params").StringList("submodules").ToList();
        else
            throw new ResourceConfigException("params.submodules: must be \"all\", \"none\" or a list of paths");
        // Local submodule URLs (file://) are refused by default since git 2.38; the source uri is trusted config.
        await git.RunAsync(directory, ["-c", "protocol.file.allow=always", "submodule", "update", "--init", "--recursive", .. paths.Count == 0 ? Array.Empty<string>() : ["--", .. paths]], cancellation);
    }
}
