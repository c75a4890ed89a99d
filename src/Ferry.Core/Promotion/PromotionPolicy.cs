namespace Ferry.Core.Promotion;

/// <summary>
/// An environment's promotion settings as its config declares them: <c>promote</c>, <c>protected</c>, <c>approval</c>,
/// <c>on_failure: rollback</c>, and which releases it takes (its release resources; a per-pull-request environment's
/// branch; none for a <c>for_each</c> declaration).
/// </summary>
/// <param name="ReleaseResources">The resources a release must carry, exactly; empty: any.</param>
/// <param name="Branch">The branch a per-pull-request environment follows.</param>
/// <param name="ForEach">The <c>for_each</c> resource of a declaration (or of the per-branch environment made from it).</param>
public sealed record EnvironmentPolicy(string Name, bool Auto, bool Protected = false, ApprovalRule? Approval = null, bool RollbackOnFailure = false,
    IReadOnlyList<string>? ReleaseResources = null, string? Branch = null, string? ForEach = null)
{
    /// <summary>Null when <paramref name="actor"/> may change the environment's hold or variables: a protected one needs an owner.</summary>
    public Refusal? CheckChange(Actor actor, string doing) => Protected && !actor.IsOwner ? Refusal.NotAllowed(Name, actor.Name, doing) : null;

    /// <summary>A <c>for_each</c> declaration itself: no release goes there, only into its per-branch environments.</summary>
    public bool IsTemplate => ForEach is not null && Branch is null;

    /// <summary>
    /// Whether a release is of the kind this environment takes: it carries exactly the environment's release resources
    /// and, for a per-pull-request environment, its own branch's commits. Other releases are never candidates here.
    /// </summary>
    public bool Fits(Release release) => Unfit(release) is null;

    /// <summary>Null when <paramref name="release"/> fits, else why not (as it reads after "cannot be promoted into E:").</summary>
    public string? Unfit(Release release)
    {
        var resources = ReleaseResources ?? [];
        if (resources.Count > 0 && !release.Items.Select(i => i.Resource).ToHashSet(StringComparer.Ordinal).SetEquals(resources))
        {
            return $"it carries {string.Join(", ", release.Items.Select(i => i.Resource))}, and {Name} takes releases of {string.Join(", ", resources)}";
        }
        var branches = release.Items.Select(i => i.Version.GetValueOrDefault(Release.BranchField)).OfType<string>().ToList();
        // An environment that takes releases from per-pull-request environments (and declares no release: of its own)
        // takes theirs: a pull request environment is then a gate.
        var fits = Branch is null ? branches.Count == 0 || resources.Count == 0 : branches.Count > 0 && branches.All(b => b == Branch);
        return fits ? null
            : Branch is null ? $"it is a branch's release, and {Name} takes releases of {string.Join(", ", resources)}"
            : $"{Name} takes only commits of branch {Branch}";
    }
}

/// <summary>Where an environment stands now: its current release, a hold, and whether a promotion into it is open.</summary>
public sealed record EnvironmentState(string? CurrentRelease, Hold? Hold = null, bool PromotionOpen = false);

/// <summary>What the promoter loop does for one environment now.</summary>
/// <param name="Promote">The release to promote, or null.</param>
/// <param name="Why">Why nothing happens (for <c>ferry explain -p P -e E</c>); null when promoting.</param>
/// <param name="Refusal">When the newest release is refused (upstream, hold), the refusal itself.</param>
public sealed record AutoDecision(ReleaseStanding? Promote, string? Why, Refusal? Refusal = null);

/// <summary>
/// When a release goes into an environment. Automatic promotion takes the newest eligible release only (never a
/// backlog of stale ones), once, and waits while a promotion is open or a hold is set; manual promotion is checked
/// against protection and eligibility; a rollback only against "verified in this environment".
/// </summary>
public static class PromotionPolicy
{
    public static AutoDecision NextAuto(EnvironmentGraph graph, EnvironmentPolicy policy, EnvironmentState state,
        IEnumerable<ReleaseStanding> releases)
    {
        var newestFirst = releases.OrderByDescending(r => r.Number).ToList();
        if (newestFirst.Count == 0)
        {
            return new AutoDecision(null, $"no release has been formed for {policy.Name} yet.");
        }
        var newest = newestFirst[0];
        var refusal = Eligibility.Check(graph, policy.Name, newest);
        var candidate = newestFirst.FirstOrDefault(r => Eligibility.IsEligible(graph, policy.Name, r));
        if (candidate is null)
        {
            return new AutoDecision(null, refusal!.Message, refusal);
        }
        if (!policy.Auto)
        {
            return new AutoDecision(null, candidate.Name == state.CurrentRelease
                ? $"{candidate.Name}, the newest eligible release, is current in {policy.Name}."
                : $"{candidate.Name} is eligible for {policy.Name} and waits for someone to promote it (promote: manual).", refusal);
        }
        if (state.PromotionOpen)
        {
            return new AutoDecision(null, $"a promotion into {policy.Name} is still open.");
        }
        // Current first: a hold on an environment that already runs the newest release holds nothing back.
        if (candidate.Name == state.CurrentRelease)
        {
            var held = state.Hold is { } h ? $" It is held ({h.SetBy}: {h.Reason})." : "";
            return new AutoDecision(null, refusal is null
                ? $"{candidate.Name}, the newest release, is current in {policy.Name}.{held}"
                : $"{candidate.Name} is current in {policy.Name}; the newer {newest.Name} waits: {refusal.Message}{held}", refusal);
        }
        if (state.Hold is { } hold)
        {
            var held = Refusal.Held(policy.Name, candidate.Name, hold);
            return new AutoDecision(null, held.Message, held);
        }
        if (candidate.HasFailedIn(policy.Name))
        {
            return new AutoDecision(null, refusal is null
                ? $"{candidate.Name}, the newest eligible release, failed its promotion into {policy.Name}; automatic promotion does not retry it."
                : $"{candidate.Name} failed its promotion into {policy.Name}; the newer {newest.Name} waits: {refusal.Message}", refusal);
        }
        return new AutoDecision(candidate, null);
    }
}
