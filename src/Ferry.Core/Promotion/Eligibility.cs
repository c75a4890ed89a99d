namespace Ferry.Core.Promotion;

/// <summary>What is known of one release when deciding where it may go.</summary>
/// <param name="Name">The short name (<c>r7</c>), used in refusals.</param>
/// <param name="VerifiedIn">Environments the release was verified in (deploy and verify both succeeded).</param>
/// <param name="FailedIn">
/// Environments where its newest finished promotion failed, errored or was aborted (no success since): automatic
/// promotion does not retry it there. A release verified there and no longer current (after a rollback) is not in it.
/// </param>
/// <param name="Content">Its versions, to check that it fits an environment; null where that is not in question.</param>
public sealed record ReleaseStanding(string Name, int Number, IReadOnlySet<string> VerifiedIn, bool Disabled = false, IReadOnlySet<string>? FailedIn = null,
    Release? Content = null)
{
    public bool HasFailedIn(string environment) => FailedIn?.Contains(environment) == true;
}

/// <summary>
/// The heart of "no skipping": a release may enter E only when it is verified in every environment E takes from
/// (or any one, with <c>from_policy: any</c>). A first environment takes releases from jobs, which formed them only
/// from versions that passed those jobs, so it admits any enabled release.
/// </summary>
public static class Eligibility
{
    /// <summary>Null when <paramref name="release"/> may be promoted into <paramref name="environment"/>, else why not.</summary>
    public static Refusal? Check(EnvironmentGraph graph, string environment, ReleaseStanding release)
    {
        var node = graph[environment];
        if (release.Disabled)
        {
            return Refusal.Disabled(environment, release.Name);
        }
        if (node.IsFirst)
        {
            return null;
        }
        var missing = node.Upstream.Where(u => !release.VerifiedIn.Contains(u)).ToList();
        var satisfied = node.AnyUpstream ? missing.Count < node.Upstream.Count : missing.Count == 0;
        if (satisfied)
        {
            return null;
        }
        // Verified further up but not in the environments right above: promoting now would jump over them.
        var verifiedAbove = graph.Order.Where(e => graph.AncestorsOf(environment).Contains(e) && release.VerifiedIn.Contains(e)).ToList();
        return verifiedAbove.Count > 0
            ? Refusal.WouldSkip(environment, release.Name, missing, verifiedAbove)
            : Refusal.NotVerifiedUpstream(environment, release.Name, missing, node.AnyUpstream);
    }

    public static bool IsEligible(EnvironmentGraph graph, string environment, ReleaseStanding release) =>
        Check(graph, environment, release) is null;

    /// <summary>A rollback goes only to a release that was verified in the environment itself.</summary>
    public static Refusal? CheckRollback(string environment, ReleaseStanding release) =>
        release.Disabled ? Refusal.Disabled(environment, release.Name)
        : release.VerifiedIn.Contains(environment) ? null
        : Refusal.NotVerifiedForRollback(environment, release.Name);
}
