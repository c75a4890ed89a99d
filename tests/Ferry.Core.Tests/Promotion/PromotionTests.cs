using Ferry.Core.Promotion;
using PromotionEntity = Ferry.Core.Promotion.Promotion;

namespace Ferry.Core.Tests.Promotion;

public sealed class PromotionTests
{
    private static readonly DateTimeOffset At = DateTimeOffset.UnixEpoch;
    private static readonly ApprovalRule TwoFromOps = new(2, ["ops", "carol"]);

    private static PromotionEntity Awaiting(string requester = "alice") =>
        new(12, "production", 7, requester, PromotionTrigger.Manual, PromotionStatus.AwaitingApproval);

    [Fact]
    public void MoveTo_Refuses_WhenSucceededAfterFailed()
    {
        var promotion = new PromotionEntity(12, "production", 7, "alice", PromotionTrigger.Manual);
        promotion.Start(buildId: 3);
        promotion.MoveTo(PromotionStatus.Failed);

        Should.Throw<PromotionStateException>(() => promotion.MoveTo(PromotionStatus.Succeeded))
            .Message.ShouldBe("promotion 12 (r7 into production): cannot go from failed to succeeded");
        promotion.Status.ShouldBe(PromotionStatus.Failed);
    }

    [Fact]
    public void MoveTo_FollowsTheHappyPath_WhenNoApprovalNeeded()
    {
        var promotion = new PromotionEntity(1, "staging", 1, "ferry", PromotionTrigger.Auto);
        promotion.Start(buildId: 5);
        promotion.Status.ShouldBe(PromotionStatus.Deploying);
        promotion.BuildId.ShouldBe(5);
        promotion.MoveTo(PromotionStatus.Verifying);
        promotion.MoveTo(PromotionStatus.Succeeded);
        promotion.IsFinished.ShouldBeTrue();
    }

    [Theory]
    [InlineData(PromotionStatus.Pending, PromotionStatus.Succeeded)]
    [InlineData(PromotionStatus.AwaitingApproval, PromotionStatus.Deploying)]
    [InlineData(PromotionStatus.Pending, PromotionStatus.AwaitingApproval)]
    [InlineData(PromotionStatus.Rejected, PromotionStatus.Approved)]
    [InlineData(PromotionStatus.Deploying, PromotionStatus.Succeeded)]
    [InlineData(PromotionStatus.Aborted, PromotionStatus.Deploying)]
    public void CanMove_IsFalse_ForSkippedOrFinishedStates(PromotionStatus from, PromotionStatus to)
    {
        PromotionStates.CanMove(from, to).ShouldBeFalse();
    }

    [Fact]
    public void StatusText_RoundTrips_ForEveryStatus()
    {
        foreach (var status in Enum.GetValues<PromotionStatus>())
        {
            PromotionStates.ParseStatus(status.ToText()).ShouldBe(status);
        }
        PromotionStatus.AwaitingApproval.ToText().ShouldBe("awaiting_approval");
        Should.Throw<FormatException>(() => PromotionStates.ParseStatus("done"));
    }

    [Fact]
    public void Approve_NeedsTwoDistinctApprovers_WhenRequiredIsTwo()
    {
        var promotion = Awaiting();
        promotion.Approve(TwoFromOps, Actor.User("bob", "ops"), At).ShouldBeFalse();
        Should.Throw<PromotionRefusedException>(() => promotion.Approve(TwoFromOps, Actor.User("bob", "ops"), At))
            .Message.ShouldContain("bob already approved it");
        promotion.Status.ShouldBe(PromotionStatus.AwaitingApproval);

        promotion.Approve(TwoFromOps, Actor.User("carol"), At).ShouldBeTrue();
        promotion.Status.ShouldBe(PromotionStatus.Approved);
    }

    [Fact]
    public void Approve_RefusesRequester_UnlessAllowSelf()
    {
        Should.Throw<PromotionRefusedException>(() => Awaiting("bob").Approve(TwoFromOps, Actor.User("bob", "ops"), At))
            .Message.ShouldBe("bob cannot approve promotion 12 (r7 into production): bob requested it, and production does not allow self-approval");
        var selfRule = TwoFromOps with { Required = 1, AllowSelf = true };
        var promotion = new PromotionEntity(3, "production", 7, "bob", PromotionTrigger.Manual, PromotionStatus.AwaitingApproval);
        promotion.Approve(selfRule, Actor.User("bob", "ops"), At).ShouldBeTrue();
    }

    [Fact]
    public void Approve_RefusesOutsiders_WhenFromIsListed()
    {
        Should.Throw<PromotionRefusedException>(() => Awaiting().Approve(TwoFromOps, Actor.User("dave", "dev"), At))
            .Message.ShouldContain("approvals for production come from ops, carol");
    }

    [Fact]
    public void Reject_EndsPromotion_WhenOneApproverSaysNo()
    {
        var promotion = Awaiting();
        promotion.Reject(TwoFromOps, Actor.User("carol"), At, "not today");
        promotion.Status.ShouldBe(PromotionStatus.Rejected);
        promotion.Votes.ShouldHaveSingleItem().Comment.ShouldBe("not today");
        promotion.NewVotes.ShouldHaveSingleItem().Approver.ShouldBe("carol");
        Should.Throw<PromotionRefusedException>(() => promotion.Approve(TwoFromOps, Actor.User("bob", "ops"), At))
            .Message.ShouldContain("it is rejected, not awaiting_approval");
    }

    [Fact]
    public void Approve_TakesOperatorsOnly_WhenFromIsEmpty()
    {
        var anyOperator = new ApprovalRule(1, []);
        Should.Throw<PromotionRefusedException>(() => Awaiting().Approve(anyOperator, Actor.User("vera"), At))
            .Message.ShouldContain("operator role or more");
        Awaiting().Approve(anyOperator, Actor.Operator("otto"), At).ShouldBeTrue();
    }

    [Fact]
    public void Approve_RefusesAnyoneNotSignedIn_EvenAnOwner()
    {
        var anonymous = Actor.Owner("anonymous") with { SignedIn = false };
        Should.Throw<PromotionRefusedException>(() => Awaiting().Approve(new ApprovalRule(1, []), anonymous, At))
            .Message.ShouldContain("only a signed-in user's approval counts");
    }
}
