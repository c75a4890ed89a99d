using Ferry.Core.Audit;
using Ferry.Core.Promotion;
using static Ferry.Core.Tests.Promotion.Chains;
using Environment = Ferry.Core.Promotion.Environment;
using PromotionEntity = Ferry.Core.Promotion.Promotion;

namespace Ferry.Core.Tests.Promotion;

public sealed class EnvironmentTests
{
    private static readonly DateTimeOffset At = DateTimeOffset.UnixEpoch.AddDays(1);

    private static Environment Production(int? current = null, Hold? hold = null, IReadOnlyList<PromotionEntity>? promotions = null,
        bool rollbackOnFailure = false, ApprovalRule? approval = null) =>
        new(new EnvironmentSnapshot(3, "production", 4, current, hold, promotions ?? []),
            new EnvironmentPolicy("production", Auto: false, Protected: true, approval, rollbackOnFailure), Linear(),
            [R(1, "development", "staging", "production"), R(2, "development", "staging"), R(3, "development")]);

    private static Environment Staging(Hold? hold = null, IReadOnlyList<PromotionEntity>? promotions = null) =>
        new(new EnvironmentSnapshot(2, "staging", 0, 1, hold, promotions ?? []), new EnvironmentPolicy("staging", Auto: true), Linear(),
            [R(1, "development", "staging"), R(2, "development")]);

    [Fact]
    public void Promote_RefusesNonOwner_WhenProtected()
    {
        var production = Production();

        Should.Throw<PromotionRefusedException>(() => production.Promote(2, PromotionTrigger.Manual, Actor.User("alice"), At))
            .Refusal.Message.ShouldBe("r2 cannot be promoted into production: production is protected and alice is not an owner.");
        production.Added.ShouldBeEmpty();
        production.Audit.ShouldBeEmpty();
    }

    [Fact]
    public void Promote_RefusesSkippingAnEnvironment_EvenForAnOwner()
    {
        Should.Throw<PromotionRefusedException>(() => Production().Promote(3, PromotionTrigger.Manual, Actor.Owner("olga"), At))
            .Refusal.Kind.ShouldBe(RefusalKind.WouldSkipEnvironment);
    }

    [Fact]
    public void Promote_WaitsForApprovalAndLiftsHold_WhenAPersonPromotes()
    {
        var production = Production(hold: new Hold("bob", "a rollback to r1", At), approval: new ApprovalRule(1, ["ops"]));

        var promotion = production.Promote(2, PromotionTrigger.Manual, Actor.Owner("olga"), At);

        promotion.Status.ShouldBe(PromotionStatus.AwaitingApproval);
        production.Hold.ShouldBeNull();
        production.HoldChanged.ShouldBeTrue();
        production.Audit.Select(a => a.Action).ShouldBe([AuditActions.Promotion, AuditActions.HoldLifted]);
        production.Audit.ShouldAllBe(a => a.Promotion == promotion);
    }

    [Fact]
    public void Promote_RefusesAutomatic_DuringHoldOrWhileAPromotionIsOpen()
    {
        Should.Throw<PromotionRefusedException>(() => Staging(hold: new Hold("bob", "a hold", At)).Promote(2, PromotionTrigger.Auto, Actor.System, At))
            .Refusal.Kind.ShouldBe(RefusalKind.DuringHold);
        var open = new PromotionEntity(9, "staging", 1, "ferry", PromotionTrigger.Auto, PromotionStatus.Deploying);
        Should.Throw<PromotionRefusedException>(() => Staging(promotions: [open]).Promote(2, PromotionTrigger.Auto, Actor.System, At))
            .Refusal.Kind.ShouldBe(RefusalKind.PromotionOpen);
    }

    [Fact]
    public void Promote_RefusesTheSameReleaseTwice_WhileItsPromotionIsOpen()
    {
        var waiting = new PromotionEntity(9, "production", 2, "olga", PromotionTrigger.Manual, PromotionStatus.AwaitingApproval);

        Should.Throw<PromotionRefusedException>(() => Production(promotions: [waiting]).Promote(2, PromotionTrigger.Manual, Actor.Owner("olga"), At))
            .Refusal.Message.ShouldBe("r2 cannot be promoted into production: promotion 9 of r2 is awaiting_approval there.");
    }

    [Fact]
    public void Promote_NamesTheKey_WhenARequiredVariableIsEmpty()
    {
        Should.Throw<PromotionRefusedException>(() => Production().Promote(2, PromotionTrigger.Manual, Actor.Owner("olga"), At, ["GREETING"]))
            .Refusal.Message.ShouldBe("r2 cannot be promoted into production: the required variable GREETING has no value there.");
    }

    [Fact]
    public void RollBack_HoldsTheEnvironment_AndNeedsAReleaseVerifiedThere()
    {
        var production = Production(current: 2);
        Should.Throw<PromotionRefusedException>(() => production.RollBack(2, Actor.Owner("olga"), At)).Refusal.Kind.ShouldBe(RefusalKind.NotVerifiedForRollback);

        var rollback = production.RollBack(1, Actor.Owner("olga"), At);

        rollback.Trigger.ShouldBe(PromotionTrigger.Rollback);
        rollback.Status.ShouldBe(PromotionStatus.Pending);
        production.Hold!.Reason.ShouldBe("a rollback to r1");
        production.Audit.Select(a => a.Action).ShouldBe([AuditActions.Rollback, AuditActions.Hold]);
    }

    [Fact]
    public void Finish_MakesReleaseCurrentAndVerified_WhenSucceeded()
    {
        var deploying = new PromotionEntity(5, "production", 2, "olga", PromotionTrigger.Manual, PromotionStatus.Deploying, buildId: 8);
        var production = Production(current: 1, promotions: [deploying]);

        production.Verify(5);
        production.Finish(5, PromotionStatus.Succeeded, null, At).ShouldBeNull();

        production.CurrentRelease.ShouldBe(2);
        production.NewCurrent.ShouldBe(new CurrentRelease(2, "olga", At));
        production.Verified.ShouldHaveSingleItem().ReleaseNumber.ShouldBe(2);
        production.IsVerified(2).ShouldBeTrue();
        production.Changed.ShouldBe([deploying]);
    }

    [Fact]
    public void Finish_RollsBackWithoutHold_WhenFailedAndOnFailureRollback()
    {
        var deploying = new PromotionEntity(5, "production", 2, "olga", PromotionTrigger.Manual, PromotionStatus.Verifying, buildId: 8);
        var production = Production(current: 1, promotions: [deploying], rollbackOnFailure: true);

        var rollback = production.Finish(5, PromotionStatus.Failed, "verify failed", At);

        rollback.ShouldNotBeNull();
        rollback.ReleaseNumber.ShouldBe(1);
        rollback.RequestedBy.ShouldBe(Actor.System.Name);
        production.Added.ShouldBe([rollback]);
        production.HoldChanged.ShouldBeFalse();
        production.CurrentRelease.ShouldBe(1);
        deploying.Reason.ShouldBe("verify failed");
    }

    [Fact]
    public void Finish_NeverSucceeds_WithoutVerifyHavingStarted()
    {
        var deploying = new PromotionEntity(5, "production", 2, "olga", PromotionTrigger.Manual, PromotionStatus.Deploying, buildId: 8);

        Should.Throw<PromotionStateException>(() => Production(promotions: [deploying]).Finish(5, PromotionStatus.Succeeded, null, At));
    }

    [Fact]
    public void Start_Refuses_WhileAnotherPromotionDeploys()
    {
        var deploying = new PromotionEntity(5, "staging", 1, "ferry", PromotionTrigger.Auto, PromotionStatus.Deploying, buildId: 8);
        var pending = new PromotionEntity(6, "staging", 2, "olga", PromotionTrigger.Manual);
        var staging = Staging(promotions: [deploying, pending]);

        Should.Throw<PromotionRefusedException>(() => staging.Start(6, 9)).Refusal.Message.ShouldBe("r2 cannot start in staging: promotion 5 is deploying there.");
        pending.Status.ShouldBe(PromotionStatus.Pending);
    }

    [Fact]
    public void Approve_CountsAndAudits_WhenAnApproverSaysYes()
    {
        var waiting = new PromotionEntity(9, "production", 2, "alice", PromotionTrigger.Manual, PromotionStatus.AwaitingApproval);
        var production = Production(promotions: [waiting], approval: new ApprovalRule(1, ["ops"]));

        Should.Throw<PromotionRefusedException>(() => production.Approve(9, Actor.User("alice", "ops"), At)).Refusal.Kind.ShouldBe(RefusalKind.ApprovalRefused);
        production.Approve(9, Actor.User("bob", "ops"), At, "ok").ShouldBeTrue();

        waiting.Status.ShouldBe(PromotionStatus.Approved);
        production.Audit.ShouldHaveSingleItem().ShouldBe(new AuditEntry("bob", AuditActions.Approval, waiting, 2, "ok"));
    }

    [Fact]
    public void SetHold_RefusesNonOwner_WhenProtected()
    {
        Should.Throw<PromotionRefusedException>(() => Production().SetHold(Actor.User("alice"), "freeze", At))
            .Refusal.Kind.ShouldBe(RefusalKind.NotAllowed);
        var production = Production();
        production.SetHold(Actor.Owner("olga"), "freeze", At);
        production.Hold!.Reason.ShouldBe("a hold (freeze)");
    }
}
