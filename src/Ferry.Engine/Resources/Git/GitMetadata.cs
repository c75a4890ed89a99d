using Ferry.Core.Versions;

namespace Ferry.Engine.Resources.Git;

/// <summary>Builds commit versions with Concourse's git metadata (commit, author, dates, branch, tags, message).</summary>
internal static class GitMetadata
{
    // %D with --decorate-refs=refs/tags/: the tags pointing at the commit (annotated ones peeled), in the same git run.
    private const string Format = "%H%x1f%an <%ae>%x1f%aI%x1f%cn <%ce>%x1f%cI%x1f%D%x1f%B%x1e";

    /// <summary>Versions <c>{ref: sha}</c> for <paramref name="shas"/>, in the given order.</summary>
    public static async Task<IReadOnlyList<ResourceVersion>> VersionsAsync(
        GitCli git, string repository, IReadOnlyList<string> shas, string? branch, CancellationToken cancellation)
    {
        if (shas.Count == 0)
            return [];
        var output = await git.RunAsync(repository, ["log", "--no-walk=unsorted", "--stdin", "--decorate-refs=refs/tags/", "--format=" + Format], cancellation,
            string.Join('\n', shas) + "\n");
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
            if (Tags(f[5]) is { Count: > 0 } names)
                fields.Add(new MetadataField("tags", string.Join(",", names)));
            fields.Add(new MetadataField("message", f[6].TrimEnd()));
            byCommit[f[0]] = fields;
        }

        return shas.Select(sha => new ResourceVersion(new Dictionary<string, string> { ["ref"] = sha }, byCommit.GetValueOrDefault(sha) ?? [])).ToList();
    }

    /// <summary>The tag names of a <c>%D</c> decoration (<c>tag: v1.0.0, tag: v1.0.1</c>), in ref name order.</summary>
    private static List<string> Tags(string decoration) =>
        [.. decoration.Split(", ", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(d => d.StartsWith("tag: ", StringComparison.Ordinal)).Select(d => d["tag: ".Length..]).Order(StringComparer.Ordinal)];
}
