using System.Text.Json.Nodes;
using Ferry.Core.Versions;

namespace Ferry.Engine.Resources.Git;

/// <summary>
/// Put: pushes the HEAD of an artifact's repository to the branch, rebasing onto concurrent commits when
/// <c>rebase: true</c>, optionally tagging it; returns the pushed commit.
/// </summary>
internal static class GitPut
{
    public static readonly ConfigSchema Schema = new(
    [
        new ConfigField("repository", FieldKind.String, Required: true),
        new ConfigField("rebase", FieldKind.Boolean),
        new ConfigField("tag", FieldKind.String),
        new ConfigField("tag_prefix", FieldKind.String),
        new ConfigField("force", FieldKind.Boolean),
        new ConfigField("branch", FieldKind.String),
    ]);

    private const int RebaseAttempts = 5;

    public static async Task<ResourceVersion> PutAsync(GitCache cache, JsonObject @params, string artifactsRoot, CancellationToken cancellation)
    {
        if (cache.Source.ListsBranches)
            throw ResourceException.Terminal("git put: not supported with source.branches (branch-listing mode); use a resource with source.branch");
        Schema.Enforce(@params, "params");
        var read = new ConfigReader(@params, "params");
        var repository = Path.GetFullPath(Path.Combine(artifactsRoot, read.RequiredString("repository")));
        if (!Directory.Exists(Path.Combine(repository, ".git")))
            throw new ResourceConfigException($"params.repository: '{read.String("repository")}' is not a git working copy (no .git in {repository})");
        var git = cache.Git;
        var branch = read.String("branch") ?? cache.Source.Branch ?? (await cache.RemoteHeadAsync(cancellation)).Branch ?? "main";
        var force = read.Boolean("force");
        var identity = await IdentityAsync(git, repository, cancellation);

        string? tag = null;
        if (read.String("tag") is { } tagFile)
        {
            var file = Path.Combine(artifactsRoot, tagFile);
            if (!File.Exists(file))
                throw new ResourceConfigException($"params.tag: file '{tagFile}' not found under the build's artifacts");
            tag = (read.String("tag_prefix") ?? "") + (await File.ReadAllTextAsync(file, cancellation)).Trim();
        }

        for (var attempt = 1; ; attempt++)
        {
            var push = await git.TryAsync(repository, ["push", "-q", .. force ? ["--force"] : Array.Empty<string>(), cache.Source.Uri, $"HEAD:refs/heads/{branch}"], cancellation);
            if (push.Ok)
                break;
            if (!Rejected(push.Stderr))
                throw ResourceException.Retryable($"git put: push to {branch} of {cache.Source.Uri} failed: {push.Stderr.Trim()}");
            if (!read.Boolean("rebase"))
                throw ResourceException.Terminal($"git put: push to {branch} rejected, the branch has commits this repository lacks; set params.rebase: true (or force: true)");
            if (attempt == RebaseAttempts)
                throw ResourceException.Retryable($"git put: push to {branch} still rejected after {RebaseAttempts} rebases");
            await RebaseAsync(git, repository, cache.Source.Uri, branch, identity, cancellation);
        }

        var head = (await git.RunAsync(repository, ["rev-parse", "HEAD"], cancellation)).Trim();
        if (tag is not null)
        {
            await git.RunAsync(repository, [.. identity, "tag", "-f", tag, head], cancellation);
            await git.RunAsync(repository, ["push", "-q", .. force ? ["--force"] : Array.Empty<string>(), cache.Source.Uri, $"refs/tags/{tag}"], cancellation);
        }

        var pushed = (await GitMetadata.VersionsAsync(git, repository, [head], branch, cancellation))[0];
        // A tag_filter resource versions tags, so its put reports the tag it pushed in the same shape.
        return tag is not null && cache.Source.TagFilter is not null
            ? pushed with { Version = new Dictionary<string, string> { ["ref"] = tag, ["commit"] = head } }
            : pushed;
    }

    private static bool Rejected(string stderr) =>
        stderr.Contains("[rejected]", StringComparison.Ordinal) || stderr.Contains("non-fast-forward", StringComparison.Ordinal) || stderr.Contains("fetch first", StringComparison.Ordinal);

    private static async Task RebaseAsync(GitCli git, string repository, string uri, string branch, IReadOnlyList<string> identity, CancellationToken cancellation)
    {
        await git.RunAsync(repository, ["fetch", "-q", uri, $"refs/heads/{branch}"], cancellation);
        var rebase = await git.TryAsync(repository, [.. identity, "rebase", "-q", "FETCH_HEAD"], cancellation);
        if (rebase.Ok)
            return;
        await git.TryAsync(repository, ["rebase", "--abort"], cancellation);
        throw ResourceException.Terminal($"git put: params.rebase: rebasing onto {branch} failed (conflict?): {rebase.Stderr.Trim()}");
    }

    /// <summary>Rebase and tag need a committer; CI machines often have no global git identity.</summary>
    private static async Task<IReadOnlyList<string>> IdentityAsync(GitCli git, string repository, CancellationToken cancellation) =>
        (await git.TryAsync(repository, ["config", "user.email"], cancellation)).Ok
            ? []
            : ["-c", "user.name=Ferry", "-c", "user.email=ferry@localhost"];
}
