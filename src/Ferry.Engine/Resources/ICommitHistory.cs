using System.Text.Json.Nodes;
using Ferry.Core.Versions;

namespace Ferry.Engine.Resources;

/// <summary>A resource type whose versions are commits: it can say which commits lie between two versions (a promotion's preview).</summary>
public interface ICommitHistory
{
    /// <summary>
    /// Commits reachable from <paramref name="to"/> and not from <paramref name="from"/> (all of <paramref name="to"/>'s
    /// history when <paramref name="from"/> is null), newest first, at most <paramref name="limit"/>. Empty when the
    /// versions are not commits.
    /// </summary>
    Task<IReadOnlyList<CommitSummary>> CommitsBetweenAsync(ResourceCall call, JsonObject source, ResourceVersion? from, ResourceVersion to, int limit,
        CancellationToken cancellation);
}

public sealed record CommitSummary(string Sha, string Subject, string Author);
