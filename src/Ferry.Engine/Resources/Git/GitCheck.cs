using Ferry.Core.Versions;

namespace Ferry.Engine.Resources.Git;

/// <summary>Check for one branch: commits (optionally filtered by paths), or tagged commits with tag_filter.</summary>
internal static class GitCheck
{
    /// <param name="remoteHead">The commit the branch pointed at on the remote just before the fetch, when known: the newest to report.</param>
    public static async Task<IReadOnlyList<ResourceVersion>> CommitsAsync(GitCache cache, string? branch, ResourceVersion? from, CancellationToken cancellation,
        string? remoteHead = null)
    {
        if (branch is null)
            return []; // An empty repository: nothing to version yet.
        // The fetch just brought the remote's head; were the branch force-pushed in between, git fails retryably and
        // the next check sees the new head.
        var head = remoteHead
            ?? await cache.ResolveAsync("refs/heads/" + branch, cancellation)
            ?? throw ResourceException.Retryable($"git check: branch '{branch}' not found in {cache.Source.Uri}");
        var filters = new List<string>();
        if (!cache.Source.DisableCiSkip)
            filters.AddRange(["--grep=\\[ci skip\\]", "--grep=\\[skip ci\\]", "--invert-grep"]);
        var pathspecs = cache.Source.Pathspecs();
        var tail = pathspecs.Count == 0 ? Array.Empty<string>() : ["--", .. pathspecs];

        var fromRef = from?.Version.GetValueOrDefault("ref");
        var shas = new List<string>();
        // merge-base fails alike for a commit that is gone (force-push) and one that is not an ancestor: both start again.
        if (fromRef is not null && (await cache.Git.TryAsync(cache.Path, ["merge-base", "--is-ancestor", fromRef, head], cancellation)).Ok)
        {
            shas.Add(fromRef);
            var newer = await cache.Git.RunAsync(cache.Path, ["rev-list", "--reverse", "--first-parent", .. filters, $"{fromRef}..{head}", .. tail], cancellation);
            shas.AddRange(Lines(newer));
        }
        else
        {
            // No previous version, or it is gone (force-push): start again from the newest matching commit.
            var latest = await cache.Git.RunAsync(cache.Path, ["rev-list", "-n", "1", "--first-parent", .. filters, head, .. tail], cancellation);
            shas.AddRange(Lines(latest));
        }

        return await GitMetadata.VersionsAsync(cache.Git, cache.Path, shas, branch, cancellation);
    }

    /// <summary>
    /// With tag_filter, versions are tagged commits in tag creation order, <c>{ref: tag name, commit: sha}</c>: <c>ref</c>
    /// is the tag as in Concourse's git resource, <c>commit</c> pins what it pointed at when seen.
    /// </summary>
    public static async Task<IReadOnlyList<ResourceVersion>> TagsAsync(GitCache cache, ResourceVersion? from, CancellationToken cancellation)
    {
        List<string> args = ["tag", "--list", cache.Source.TagFilter!, "--sort=creatordate", "--format=%(refname:strip=2)%09%(objectname)%09%(*objectname)"];
        if (cache.Source.Branch is not null)
            args.Add("--merged=refs/heads/" + cache.Source.Branch);
        var tags = Lines(await cache.Git.RunAsync(cache.Path, args, cancellation)).Select(line =>
        {
            var p = line.Split('\t');
            return (Name: p[0], Commit: p.Length > 2 && p[2].Length > 0 ? p[2] : p[1]);
        }).ToList();
        if (tags.Count == 0)
            return [];
        var start = from is null ? -1 : tags.FindIndex(t => t.Name == from.Version.GetValueOrDefault("ref") && t.Commit == from.Version.GetValueOrDefault("commit", t.Commit));
        var chosen = start < 0 ? [tags[^1]] : tags[start..];
        var versions = await GitMetadata.VersionsAsync(cache.Git, cache.Path, chosen.Select(t => t.Commit).Distinct().ToList(), cache.Source.Branch, cancellation);
        var byCommit = versions.ToDictionary(v => v.Version["ref"]);
        return chosen.Select(t => new ResourceVersion(
            new Dictionary<string, string> { ["ref"] = t.Name, ["commit"] = t.Commit },
            byCommit[t.Commit].Metadata)).ToList();
    }

    internal static IEnumerable<string> Lines(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).Where(l => l.Trim().Length > 0);
}
