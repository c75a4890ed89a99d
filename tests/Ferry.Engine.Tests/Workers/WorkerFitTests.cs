using Ferry.Engine.Workers;
using Ferry.Storage.Nodes;
using Ferry.Storage.Workers;

namespace Ferry.Engine.Tests.Workers;

public sealed class WorkerFitTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UnixEpoch;

    private static WorkerRecord Worker(string name, WorkerState state, params string[] tags) =>
        new(name, tags, "process", 2, "1.0.0", state, Now, Now, null, []);

    [Fact]
    public void Fits_FollowsConcourse_AllTheBuildsTags_AndUntaggedOnlyOnUntagged()
    {
        WorkerFit.Fits(["gpu"], ["gpu", "linux"]).ShouldBeTrue();
        WorkerFit.Fits(["gpu", "arm"], ["gpu", "linux"]).ShouldBeFalse();
        WorkerFit.Fits([], []).ShouldBeTrue();
        WorkerFit.Fits([], ["gpu"]).ShouldBeFalse();
    }

    [Fact]
    public void WhyPending_NamesTheTagsAndTheWorkersThatLackThem_AndIgnoresLostWorkers()
    {
        var why = WorkerFit.WhyPending("build #4", ["gpu"], [], [Worker("w1", WorkerState.Running, "cpu"), Worker("w2", WorkerState.Lost, "gpu")]);

        why.ShouldBe("build #4 waits: no running worker has all its tags [gpu]; running remote workers: w1 [cpu]");
    }

    [Fact]
    public void WhyPending_ForAnUntaggedBuild_SaysNoEmbeddedWorkerRuns_OrNamesWhoMayTakeIt()
    {
        var node = new NodeRecord("n1-abc", "n1", Now, Now, null, null);

        WorkerFit.WhyPending("build #1", [], [node with { EmbeddedWorker = false }], []).ShouldContain("every server runs with --no-embedded-worker");
        WorkerFit.WhyPending("build #1", [], [node], [Worker("w3", WorkerState.Running)])
            .ShouldBe("build #1 is pending: it starts when one of these has room: server n1's embedded worker, worker w3 (0/2 running)");
    }
}
