namespace Ferry.Core.Promotion;

/// <summary>An environment's promotion settings: <c>promote</c>, <c>protected</c>, <c>approval</c>.</summary>
public sealed record EnvironmentPolicy(string Name, bool Auto, bool Protected = false, ApprovalRule? Approval = null);

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
        if (state.Hold is { } hold)
        {
            var held = Refusal.Held(policy.Name, candidate.Name, hold);
            return new AutoDecision(null, held.Message, held);
        }
        if (candidate.Name == state.CurrentRelease)
        {
            return new AutoDecision(null, refusal is null
                ? $"{candidate.Name}, the newest release, is current in {policy.Name}."
                : $"{candidate.Name} is current in {policy.Name}; the newer {newest.Name} waits: {refusal.Message}", refusal);
        }
        if (candidate.HasFailedIn(policy.Name))
        {
            return new AutoDecision(null, refusal is null
                ? $"{candidate.Name}, the newest eligible release, failed its promotion into {policy.Name}; automatic promotion does not retry it."
                : $"{candidate.Name} failed its promotion into {policy.Name}; the newer {newest.Name} waits: {refusal.Message}", refusal);
        }
        return new AutoDecision(candidate, null);
    }

    /// <summary>A person asks to promote <paramref name="release"/>: null when allowed (a hold does not stop a person; it lifts).</summary>
    public static Refusal? CheckManual(EnvironmentGraph graph, EnvironmentPolicy policy, Actor actor, ReleaseStanding release) =>
        policy.Protected && !actor.IsOwner
            ? Refusal.Protected(policy.Name, release.Name, actor.Name)
            : Eligibility.Check(graph, policy.Name, release);

    public static Refusal? CheckRollback(EnvironmentPolicy policy, Actor actor, ReleaseStanding release) =>
        policy.Protected && !actor.IsOwner
            ? Refusal.Protected(policy.Name, release.Name, actor.Name)
            : Eligibility.CheckRollback(policy.Name, release);
}
