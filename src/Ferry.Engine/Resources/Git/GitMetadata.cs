using Ferry.Core.Versions;

namespace Ferry.Engine.Resources.Git;

/// <summary>Builds commit versions with Concourse's git metadata (commit, author, dates, branch, tags, message).</summary>
internal static class GitMetadata
{
    private const string Format = "%H%x1f%an <%ae>%x1f%aI%x1f%cn <%ce>%x1f%cI%x1f%B%x1e";

    /// <summary>Versions <c>{ref: sha}</c> for <paramref name="shas"/>, in the given order.</summary>
    public static async Task<IReadOnlyList<ResourceVersion>> VersionsAsync(
        GitCli git, string repository, IReadOnlyList<string> shas, string? branch, CancellationToken cancellation)
    {
        if (shas.Count == 0)
            return [];
        var tags = await TagsByCommitAsync(git, repository, cancellation);
        var output = await git.RunAsync(repository, ["log", "--no-walk=unsorted", "--stdin", "--format=" + Format], cancellation, string.Join('\n', shas) + "\n");
        var byCommit = new Dictionary<string, IReadOnlyList<MetadataField>>(StringComparer.Ordinal);
        foreach (var record in output.Split('\x1e', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var f = record.Split('\x1f');
            var fields = new List<MetadataField>
            {
                new("commit", f[0]),
                new("author", f[1]),
                new("author_date", f[2]),
                new("committer", f[3]),
                new("committer_date", f[4]),
            };
            if (branch is not null)
                fields.Add(new MetadataField("branch", branch));
            if (tags.TryGetValue(f[0], out var names))
                fields.Add(new MetadataField("tags", string.Join(",", names)));
            fields.Add(new MetadataField("message", f[5].TrimEnd()));
            byCommit[f[0]] = fields;
        }

        return shas.Select(sha => new ResourceVersion(new Dictionary<string, string> { ["ref"] = sha }, byCommit.GetValueOrDefault(sha) ?? [])).ToList();
    }

    private static async Task<Dictionary<string, List<string>>> TagsByCommitAsync(GitCli git, string repository, CancellationToken cancellation)
    {
        var output = await git.RunAsync(repository, ["for-each-ref", "refs/tags", "--format=%(objectname)%09%(*objectname)%09%(refname:strip=2)"], cancellation);
        var result = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split('\t');
            var commit = parts[1].Length > 0 ? parts[1] : parts[0];
            if (!result.TryGetValue(commit, out var names))
                result[commit] = names = [];
            names.Add(parts[2]);
        }

        return result;
    }
}
