using Ferry.Core.Promotion;
using static Ferry.Core.Tests.Promotion.Chains;

namespace Ferry.Core.Tests.Promotion;

public sealed class PolicyTests
{
    private static readonly EnvironmentPolicy Staging = new("staging", Auto: true);

    [Fact]
    public void NextAuto_TakesNewestEligibleOnly_WhenSeveralWait()
    {
        var decision = PromotionPolicy.NextAuto(Linear(), Staging, new EnvironmentState("r1"),
            [R(2, "development"), R(3, "development"), R(4, "development"), R(5)]);
        decision.Promote!.Name.ShouldBe("r4");
    }

    [Fact]
    public void NextAuto_DoesNothing_WhenNewestEligibleIsCurrentOrAttempted()
    {
        PromotionPolicy.NextAuto(Linear(), Staging, new EnvironmentState("r4"), [R(3, "development"), R(4, "development", "staging")])
            .Why.ShouldBe("r4, the newest release, is current in staging.");
        var failed = R(5, "development") with { FailedIn = new HashSet<string> { "staging" } };
        var decision = PromotionPolicy.NextAuto(Linear(), Staging, new EnvironmentState("r4"), [R(4, "development", "staging"), failed]);
        decision.Promote.ShouldBeNull();
        decision.Why!.ShouldContain("does not retry");
    }

    [Fact]
    public void NextAuto_SaysItIsCurrent_WhenHeldOnTheNewestRelease()
    {
        var held = new EnvironmentState("r4", new Hold("bob", "a hold (freeze)", DateTimeOffset.UnixEpoch));

        var decision = PromotionPolicy.NextAuto(Linear(), Staging, held, [R(3, "development", "staging"), R(4, "development", "staging")]);

        decision.Promote.ShouldBeNull();
        decision.Why.ShouldBe("r4, the newest release, is current in staging. It is held (bob: a hold (freeze)).");
    }

    [Fact]
    public void NextAuto_PromotesTheNewestAgain_WhenARollbackIsNoLongerHeld()
    {
        // r4 was verified in staging, then staging was rolled back to r3; without the hold, automatic promotion undoes it.
        var releases = new[] { R(3, "development", "staging"), R(4, "development", "staging") };

        PromotionPolicy.NextAuto(Linear(), Staging, new EnvironmentState("r3"), releases).Promote!.Name.ShouldBe("r4");
        PromotionPolicy.NextAuto(Linear(), Staging, new EnvironmentState("r3", new Hold("bob", "a rollback to r3", DateTimeOffset.UnixEpoch)), releases)
            .Promote.ShouldBeNull();
    }

    [Fact]
    public void NextAuto_Waits_WhenManualOpenOrHeld()
    {
        var releases = new[] { R(2, "development") };
        PromotionPolicy.NextAuto(Linear(), Staging with { Auto = false }, new EnvironmentState(null), releases).Why
            .ShouldBe("r2 is eligible for staging and waits for someone to promote it (promote: manual).");
        PromotionPolicy.NextAuto(Linear(), Staging, new EnvironmentState(null, PromotionOpen: true), releases).Why!.ShouldContain("still open");
        var held = PromotionPolicy.NextAuto(Linear(), Staging, new EnvironmentState("r1", new Hold("bob", "a rollback to r1", DateTimeOffset.UnixEpoch)), releases);
        held.Promote.ShouldBeNull();
        held.Refusal!.Kind.ShouldBe(RefusalKind.DuringHold);
        held.Why.ShouldBe("r2 is not promoted into staging automatically: staging is on hold since a rollback to r1 by bob; promote a release by hand or lift the hold.");
    }

    [Fact]
    public void NextAuto_ExplainsRefusal_WhenNothingIsEligible()
    {
        var decision = PromotionPolicy.NextAuto(Linear(), new EnvironmentPolicy("production", true), new EnvironmentState(null), [R(1, "development")]);
        decision.Promote.ShouldBeNull();
        decision.Refusal!.Kind.ShouldBe(RefusalKind.WouldSkipEnvironment);
    }
}
