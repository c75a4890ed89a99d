using System.Text.Json.Nodes;
using Ferry.Engine.Pipelines;
using Ferry.Engine.Scheduling;

namespace Ferry.Engine.Tests.Scheduling;

public sealed class JobLimitsTests
{
    private static readonly Core.Pipelines.PipelineConfig Pipeline = PipelineConfigs.Load("limits", """
        resources:
          - name: app
            type: git
            source: { uri: file:///tmp/x.git }
        jobs:
          - name: free
            plan: [{ get: app, trigger: true }]
          - name: two
            max_in_flight: 2
            plan: [{ get: app, trigger: true }]
          - name: one
            serial: true
            plan: [{ get: app, trigger: true }]
          - name: deploy-a
            serial_groups: [deploy]
            plan: [{ get: app, trigger: true }]
          - name: deploy-b
            serial_groups: [deploy]
            plan: [{ get: app, trigger: true }]
        """, new JsonObject());

    private static readonly Dictionary<string, int> Ids = new() { ["free"] = 1, ["two"] = 2, ["one"] = 3, ["deploy-a"] = 4, ["deploy-b"] = 5 };

    private static bool HasRoom(string job, Dictionary<int, int> inFlight) =>
        JobLimits.HasRoom(Pipeline.FindJob(job)!, Ids[job], Pipeline, Ids, inFlight);

    [Fact]
    public void HasRoom_FollowsMaxInFlightAndSerial_WhenBuildsAreInFlight()
    {
        HasRoom("free", new() { [1] = 50 }).ShouldBeTrue();
        HasRoom("two", new() { [2] = 1 }).ShouldBeTrue();
        HasRoom("two", new() { [2] = 2 }).ShouldBeFalse();
        HasRoom("one", new()).ShouldBeTrue();
        HasRoom("one", new() { [3] = 1 }).ShouldBeFalse();
    }

    [Fact]
    public void HasRoom_IsSharedAcrossASerialGroup_WhenAnotherJobOfTheGroupRuns()
    {
        HasRoom("deploy-a", new()).ShouldBeTrue();
        HasRoom("deploy-a", new() { [5] = 1 }).ShouldBeFalse();
        HasRoom("deploy-b", new() { [4] = 1 }).ShouldBeFalse();
        HasRoom("deploy-b", new() { [3] = 1 }).ShouldBeTrue();
    }
}
