using Ferry.Core.Builds;

namespace Ferry.Core.Tests.Builds;

public class BuildStatusTransitionsTests
{
    public static TheoryData<BuildStatus, BuildStatus> Allowed => new()
    {
        { BuildStatus.Pending, BuildStatus.Started },
        { BuildStatus.Pending, BuildStatus.Aborted },
        { BuildStatus.Pending, BuildStatus.Errored },
        { BuildStatus.Started, BuildStatus.Succeeded },
        { BuildStatus.Started, BuildStatus.Failed },
        { BuildStatus.Started, BuildStatus.Errored },
        { BuildStatus.Started, BuildStatus.Aborted },
    };

    [Theory]
    [MemberData(nameof(Allowed))]
    public void CanMove_AllowsTheStateMachinesMoves(BuildStatus from, BuildStatus to) =>
        BuildStatusTransitions.CanMove(from, to).ShouldBeTrue();

    [Fact]
    public void CanMove_RefusesEveryOtherMove_IncludingLeavingAFinalStatus()
    {
        var allowed = Allowed.Select(row => ((BuildStatus)row[0], (BuildStatus)row[1])).ToHashSet();
        foreach (var from in Enum.GetValues<BuildStatus>())
        {
            foreach (var to in Enum.GetValues<BuildStatus>())
            {
                BuildStatusTransitions.CanMove(from, to).ShouldBe(allowed.Contains((from, to)), $"{from} -> {to}");
            }
        }
    }

    [Theory]
    [InlineData(BuildStatus.Succeeded, true)]
    [InlineData(BuildStatus.Failed, true)]
    [InlineData(BuildStatus.Errored, true)]
    [InlineData(BuildStatus.Aborted, true)]
    [InlineData(BuildStatus.Pending, false)]
    [InlineData(BuildStatus.Started, false)]
    public void IsFinal_IsTrue_OnlyForTheFourEndings(BuildStatus status, bool final) => status.IsFinal().ShouldBe(final);

    [Fact]
    public void Guard_ThrowsWithBuildAndStatuses_WhenSucceededWouldStartAgain()
    {
        var error = Should.Throw<InvalidOperationException>(() => BuildStatusTransitions.Guard(42, BuildStatus.Succeeded, BuildStatus.Started));
        error.Message.ShouldBe("build 42: cannot go from succeeded to started");
        Should.NotThrow(() => BuildStatusTransitions.Guard(42, BuildStatus.Started, BuildStatus.Succeeded));
    }
}
