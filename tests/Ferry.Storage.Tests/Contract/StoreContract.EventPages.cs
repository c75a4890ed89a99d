using System.Text.Json.Nodes;
using Ferry.Core.Builds;

namespace Ferry.Storage.Tests.Contract;

public abstract partial class StoreContract<TTarget>
{
    [StoreFact]
    public async Task ReadEventsBefore_PagesBackFromASeq_InSeqOrder()
    {
        var pipeline = await NewPipelineAsync(Store, [], ["unit"]);
        var build = await Store.CreateBuildAsync(JobBuild(pipeline, "unit"));
        await Store.AppendEventsAsync(build.Id, [.. Enumerable.Range(1, 10).Select(i => Log($"line {i}\n"))]);

        (await Store.ReadEventsBeforeAsync(build.Id, long.MaxValue, 3)).Select(e => e.Seq).ShouldBe([8, 9, 10]);
        (await Store.ReadEventsBeforeAsync(build.Id, 8, 3)).Select(e => e.Text).ShouldBe(["line 5\n", "line 6\n", "line 7\n"]);
        (await Store.ReadEventsBeforeAsync(build.Id, 3, 10)).Select(e => e.Seq).ShouldBe([1, 2]);
        (await Store.ReadEventsBeforeAsync(build.Id, 1, 10)).ShouldBeEmpty();
    }

    [StoreFact]
    public async Task ReadOutlineEvents_GivesEveryEventButLogOutput_BeforeASeq()
    {
        var pipeline = await NewPipelineAsync(Store, [], ["unit"]);
        var build = await Store.CreateBuildAsync(JobBuild(pipeline, "unit"));
        await Store.AppendEventsAsync(build.Id,
        [
            new BuildEvent(0, 0, DateTimeOffset.UtcNow, BuildEventType.StepStarted, "task:test", Payload: new JsonObject { ["kind"] = "task", ["name"] = "test" }),
            Log("one\n"),
            new BuildEvent(0, 0, DateTimeOffset.UtcNow, BuildEventType.Warning, "task:test", Text: "slow"),
            Log("two\n"),
            new BuildEvent(0, 0, DateTimeOffset.UtcNow, BuildEventType.StepFinished, "task:test", Text: "succeeded"),
            new BuildEvent(0, 0, DateTimeOffset.UtcNow, BuildEventType.Status, Text: "succeeded"),
        ]);

        (await Store.ReadOutlineEventsAsync(build.Id)).Select(e => e.Type).ShouldBe(
            [BuildEventType.StepStarted, BuildEventType.Warning, BuildEventType.StepFinished, BuildEventType.Status]);
        (await Store.ReadOutlineEventsAsync(build.Id, 5)).Select(e => e.Seq).ShouldBe([1, 3]);
    }
}
