using FsCheck;
using FsCheck.Fluent;
using Ferry.Core.Promotion;
using Environment = Ferry.Core.Promotion.Environment;
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

    /// <summary>
    /// Plays the store: each operation loads an <see cref="Environment"/> aggregate from what is kept, calls it as the
    /// promoter or the API does (refusals are answers, not failures), and keeps what it changed.
    /// </summary>
    private sealed class Ledger(EnvironmentGraph graph)
    {
        private readonly Dictionary<string, List<PromotionEntity>> _promotions = new(StringComparer.Ordinal);
        private readonly Dictionary<string, Hold?> _holds = new(StringComparer.Ordinal);
        private long _ids;

        public List<Model> Releases { get; } = [];
        public Dictionary<string, Model> Current { get; } = new(StringComparer.Ordinal);

        public ReleaseStanding Standing(Model r) => new(ReleaseName.Of(r.Number), r.Number, r.VerifiedIn, FailedIn: r.FailedIn);

        public void Apply(Step step)
        {
            var name = graph.Order[step.Environment % graph.Order.Count];
            var actor = step.Owner ? Actor.Owner("olga") : Actor.User("alice");
            var release = Releases.Count == 0 ? null : Releases[step.Release % Releases.Count];
            if (step.Op == Op.NewRelease)
            {
                Releases.Add(new Model(Releases.Count + 1));
                return;
            }
            var environment = Load(name);
            var open = environment.Promotions.FirstOrDefault(p => !p.IsFinished);
            try
            {
                switch (step.Op)
                {
                    case Op.Promote when release is not null:
                        environment.Promote(release.Number, PromotionTrigger.Manual, actor, DateTimeOffset.UnixEpoch);
                        break;
                    case Op.Auto:
                        var state = new EnvironmentState(Current.GetValueOrDefault(name) is { } c ? ReleaseName.Of(c.Number) : null,
                            _holds.GetValueOrDefault(name), open is not null);
                        if (PromotionPolicy.NextAuto(graph, environment.Policy, state, Releases.Select(Standing)).Promote is { } next)
                        {
                            environment.Promote(next.Number, PromotionTrigger.Auto, Actor.System, DateTimeOffset.UnixEpoch);
                        }
                        break;
                    case Op.Verify when open is not null:
                        environment.Start(open.Id, 1);
                        environment.Verify(open.Id);
                        environment.Finish(open.Id, PromotionStatus.Succeeded, null, DateTimeOffset.UnixEpoch);
                        break;
                    case Op.Fail when open is not null:
                        environment.Start(open.Id, 1);
                        environment.Finish(open.Id, PromotionStatus.Failed, "deploy failed", DateTimeOffset.UnixEpoch);
                        Should.Throw<PromotionStateException>(() => open.MoveTo(PromotionStatus.Succeeded));
                        break;
                    case Op.Rollback when release is not null:
                        environment.RollBack(release.Number, actor, DateTimeOffset.UnixEpoch);
                        break;
                    case Op.Lift:
                        environment.LiftHold(actor);
                        break;
                }
            }
            catch (PromotionRefusedException)
            {
                return;
            }
            Save(environment);
        }

        private Environment Load(string name)
        {
            var promotions = _promotions.GetValueOrDefault(name) ?? [];
            var snapshot = new EnvironmentSnapshot(0, name, 0, Current.GetValueOrDefault(name)?.Number, _holds.GetValueOrDefault(name),
                [.. promotions.Where(p => !p.IsFinished)]);
            var policy = new EnvironmentPolicy(name, Auto: true, Protected: name == "production");
            return new Environment(snapshot, policy, graph, Releases.Select(Standing));
        }

        private void Save(Environment environment)
        {
            var promotions = _promotions.TryGetValue(environment.Name, out var list) ? list : _promotions[environment.Name] = [];
            foreach (var added in environment.Added)
            {
                added.AssignId(++_ids);
                promotions.Add(added);
            }
            foreach (var ended in environment.Added.Concat(environment.Changed).Where(p => p.Status is PromotionStatus.Failed))
            {
                Releases[ended.ReleaseNumber - 1].FailedIn.Add(environment.Name);
            }
            foreach (var verified in environment.Verified)
            {
                var model = Releases[verified.ReleaseNumber - 1];
                model.VerifiedIn.Add(environment.Name);
                model.FailedIn.Remove(environment.Name);
            }
            if (environment.NewCurrent is { } current)
            {
                Current[environment.Name] = Releases[current.Number - 1];
            }
            if (environment.HoldChanged)
            {
                _holds[environment.Name] = environment.Hold;
            }
        }
    }
}
