using FsCheck;
using FsCheck.Fluent;
using Ferry.Core.Promotion;
using PromotionEntity = Ferry.Core.Promotion.Promotion;

namespace Ferry.Core.Tests.Promotion;

/// <summary>
/// Random sequences of release/promote/auto/verify/fail/rollback operations, applied through the promotion rules as the
/// promoter and the API will apply them: no release is ever current in (or verified in) an environment without
/// having been verified upstream of it.
/// </summary>
public sealed class NoSkippingPropertyTests
{
    private enum Op { NewRelease, Promote, Auto, Verify, Fail, Rollback, Lift }

    private sealed record Step(Op Op, int Environment, int Release, bool Owner);

    private static readonly Gen<Step> Steps =
        from op in Gen.Elements(Enum.GetValues<Op>())
        from environment in Gen.Choose(0, 4)
        from release in Gen.Choose(0, 12)
        from owner in Gen.Elements(true, false)
        select new Step(op, environment, release, owner);

    [Fact]
    public void RandomOperations_NeverPutUnverifiedReleaseInProduction_OnLinearChain()
    {
        Prop.ForAll(Steps.ListOf().ToArbitrary(), steps => Run(Chains.Linear(), steps, production: "production", gate: "staging"))
            .QuickCheckThrowOnFailure();
    }

    [Fact]
    public void RandomOperations_KeepEveryVerifiedReleaseEligible_OnDiamond()
    {
        Prop.ForAll(Steps.ListOf().ToArbitrary(), steps => Run(Chains.Diamond(), steps, production: "production", gate: "perf"))
            .QuickCheckThrowOnFailure();
    }

    private static bool Run(EnvironmentGraph graph, IEnumerable<Step> steps, string production, string gate)
    {
        var ledger = new Ledger(graph);
        foreach (var step in steps)
        {
            ledger.Apply(step);
            foreach (var environment in graph.Order)
            {
                foreach (var release in ledger.Releases.Where(r => r.VerifiedIn.Contains(environment)))
                {
                    if (!Eligibility.IsEligible(graph, environment, ledger.Standing(release)))
                    {
                        return false;
                    }
                }
                if (ledger.Current.TryGetValue(environment, out var current) && !current.VerifiedIn.Contains(environment))
                {
                    return false;
                }
            }
            if (ledger.Current.TryGetValue(production, out var inProduction) && !inProduction.VerifiedIn.Contains(gate))
            {
                return false;
            }
        }
        return true;
    }

    private sealed class Model(int number)
    {
        public int Number { get; } = number;
        public HashSet<string> VerifiedIn { get; } = new(StringComparer.Ordinal);
        public HashSet<string> FailedIn { get; } = new(StringComparer.Ordinal);
    }

    private sealed class Ledger(EnvironmentGraph graph)
    {
        private readonly Dictionary<string, (PromotionEntity Promotion, Model Release)> _open = new(StringComparer.Ordinal);
        private readonly Dictionary<string, Hold> _holds = new(StringComparer.Ordinal);
        private long _ids;

        public List<Model> Releases { get; } = [];
        public Dictionary<string, Model> Current { get; } = new(StringComparer.Ordinal);

        public ReleaseStanding Standing(Model r) => new(ReleaseName.Of(r.Number), r.Number, r.VerifiedIn, FailedIn: r.FailedIn);

        public void Apply(Step step)
        {
            var environment = graph.Order[step.Environment % graph.Order.Count];
            var policy = new EnvironmentPolicy(environment, Auto: true, Protected: environment == "production");
            var actor = step.Owner ? Actor.Owner("olga") : Actor.User("alice");
            var release = Releases.Count == 0 ? null : Releases[step.Release % Releases.Count];
            switch (step.Op)
            {
                case Op.NewRelease:
                    Releases.Add(new Model(Releases.Count + 1));
                    break;
                case Op.Promote when release is not null && !_open.ContainsKey(environment):
                    if (PromotionPolicy.CheckManual(graph, policy, actor, Standing(release)) is null)
                    {
                        _holds.Remove(environment);
                        Open(environment, release, PromotionTrigger.Manual);
                    }
                    break;
                case Op.Auto:
                    var state = new EnvironmentState(Current.GetValueOrDefault(environment) is { } c ? ReleaseName.Of(c.Number) : null,
                        _holds.GetValueOrDefault(environment), _open.ContainsKey(environment));
                    if (PromotionPolicy.NextAuto(graph, policy, state, Releases.Select(Standing)).Promote is { } next)
                    {
                        Open(environment, Releases[next.Number - 1], PromotionTrigger.Auto);
                    }
                    break;
                case Op.Verify when _open.Remove(environment, out var open):
                    open.Promotion.MoveTo(PromotionStatus.Verifying);
                    open.Promotion.MoveTo(PromotionStatus.Succeeded);
                    open.Release.VerifiedIn.Add(environment);
                    open.Release.FailedIn.Remove(environment);
                    Current[environment] = open.Release;
                    break;
                case Op.Fail when _open.Remove(environment, out var open):
                    open.Promotion.MoveTo(PromotionStatus.Failed);
                    open.Release.FailedIn.Add(environment);
                    Should.Throw<PromotionStateException>(() => open.Promotion.MoveTo(PromotionStatus.Succeeded));
                    break;
                case Op.Rollback when release is not null && !_open.ContainsKey(environment):
                    if (PromotionPolicy.CheckRollback(policy, actor, Standing(release)) is null)
                    {
                        _holds[environment] = new Hold(actor.Name, $"a rollback to {ReleaseName.Of(release.Number)}", DateTimeOffset.UnixEpoch);
                        Open(environment, release, PromotionTrigger.Rollback);
                    }
                    break;
                case Op.Lift:
                    _holds.Remove(environment);
                    break;
            }
        }

        private void Open(string environment, Model release, PromotionTrigger trigger)
        {
            var promotion = new PromotionEntity(++_ids, environment, ReleaseName.Of(release.Number), "olga", trigger);
            promotion.Start(null);
            _open[environment] = (promotion, release);
        }
    }
}
