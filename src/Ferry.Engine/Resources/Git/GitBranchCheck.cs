using Ferry.Core.Versions;

namespace Ferry.Engine.Resources.Git;

/// <summary>Check in branch-listing mode: the current set of matching branches as one version.</summary>
internal static class GitBranchCheck
{
    public static async Task<IReadOnlyList<ResourceVersion>> CheckAsync(GitCache cache, ResourceVersion? from, CancellationToken cancellation)
    {
        var glob = GitBranchSet.Glob(cache.Source.Branches!);
        var output = await cache.Git.RunAsync(cache.Path, ["for-each-ref", "refs/heads", "--format=%(refname:strip=2)%09%(objectname)%09%(contents:subject)"], cancellation);
        var heads = new Dictionary<string, string>(StringComparer.Ordinal);
        var metadata = new List<MetadataField>();
        foreach (var line in GitCheck.Lines(output))
        {
            var p = line.Split('\t', 3);
            if (!glob.IsMatch(p[0]))
                continue;
            heads[p[0]] = p[1];
            metadata.Add(new MetadataField(p[0], $"{p[1][..Math.Min(10, p[1].Length)]} {(p.Length > 2 ? p[2] : "")}".TrimEnd()));
        }

        var current = GitBranchSet.Version(heads, metadata.OrderBy(m => m.Name, StringComparer.Ordinal).ToList());
        // The previous set is history, never "gone": report it first as the interface asks, then the new state.
        return from is null || from.Equals(current) || !from.Version.ContainsKey(GitBranchSet.BranchesField) ? [current] : [from, current];
    }
}
