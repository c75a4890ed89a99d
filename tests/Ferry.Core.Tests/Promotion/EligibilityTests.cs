using Ferry.Core.Promotion;
using static Ferry.Core.Tests.Promotion.Chains;

namespace Ferry.Core.Tests.Promotion;

public sealed class EligibilityTests
{
    [Fact]
    public void Check_AdmitsAnyRelease_WhenEnvironmentIsFirst()
    {
        Eligibility.Check(Linear(), "development", R(1)).ShouldBeNull();
    }

    [Fact]
    public void Check_RefusesNotVerifiedUpstream_WhenVerifiedNowhere()
    {
        var refusal = Eligibility.Check(Linear(), "staging", R(3))!;
        refusal.Kind.ShouldBe(RefusalKind.NotVerifiedUpstream);
        refusal.Message.ShouldBe("r3 cannot be promoted into staging: it is not verified in development.");
    }

    [Fact]
    public void Check_RefusesSkip_WhenVerifiedOnlyFurtherUp()
    {
        var refusal = Eligibility.Check(Linear(), "production", R(3, "development"))!;
        refusal.Kind.ShouldBe(RefusalKind.WouldSkipEnvironment);
        refusal.Message.ShouldBe("r3 cannot be promoted into production: that would skip staging (r3 is verified in development only).");
    }

    [Fact]
    public void Check_Admits_WhenVerifiedInDirectUpstream()
    {
        Eligibility.Check(Linear(), "production", R(3, "development", "staging")).ShouldBeNull();
    }

    [Fact]
    public void Check_RequiresAllUpstream_WhenPolicyIsAll()
    {
        var refusal = Eligibility.Check(Diamond(), "production", R(2, "development", "qa"))!;
        refusal.Kind.ShouldBe(RefusalKind.WouldSkipEnvironment);
        refusal.Message.ShouldContain("skip perf");
        Eligibility.Check(Diamond(), "production", R(2, "development", "qa", "perf")).ShouldBeNull();
    }

    [Fact]
    public void Check_AdmitsAnyUpstream_WhenPolicyIsAny()
    {
        Eligibility.Check(Diamond(), "canary", R(2, "development", "perf")).ShouldBeNull();
        Eligibility.Check(Diamond(), "canary", R(2)).ShouldNotBeNull().Message
            .ShouldBe("r2 cannot be promoted into canary: it is not verified in qa or perf.");
    }

    [Fact]
    public void Check_RefusesDisabled_WhenVerifiedUpstream()
    {
        Eligibility.Check(Linear(), "staging", R(1, "development") with { Disabled = true })!.Kind.ShouldBe(RefusalKind.ReleaseDisabled);
    }

    [Fact]
    public void CheckRollback_RequiresVerifiedInEnvironmentItself()
    {
        Eligibility.CheckRollback("production", R(1, "development", "staging", "production")).ShouldBeNull();
        Eligibility.CheckRollback("production", R(2, "development", "staging"))!.Message
            .ShouldBe("production cannot be rolled back to r2: r2 was never verified in production.");
    }

    [Fact]
    public void Graph_Throws_WhenCycleOrUnknownUpstream()
    {
        Should.Throw<ArgumentException>(() => new EnvironmentGraph([new EnvironmentNode("a", ["b"]), new EnvironmentNode("b", ["a"])]))
            .Message.ShouldContain("cycle");
        Should.Throw<ArgumentException>(() => new EnvironmentGraph([new EnvironmentNode("a", ["nope"])]))
            .Message.ShouldBe("environments.a.from: no environment 'nope'");
    }

    [Fact]
    public void Order_PutsUpstreamFirst_WhenDeclaredOutOfOrder()
    {
        var graph = new EnvironmentGraph([new EnvironmentNode("production", ["staging"]), new EnvironmentNode("staging", ["development"]), new EnvironmentNode("development", [])]);
        graph.Order.ShouldBe(["development", "staging", "production"]);
        graph.AncestorsOf("production").ShouldBe(["staging", "development"], ignoreOrder: true);
    }
}
