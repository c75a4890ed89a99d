using System.Text.Json.Nodes;
using Ferry.Core.Flows;

namespace Ferry.Core.Tests.Flows;

public sealed class FlowDiffTests
{
    private static JsonArray Flows(string json) => JsonNode.Parse(json)!.AsArray();

    private const string Base = """
        [
          {"id":"t1","type":"tab","label":"Orders","env":[{"name":"API_URL","value":"http://dev","type":"str"}]},
          {"id":"n1","type":"inject","z":"t1","name":"tick","x":100,"y":80,"wires":[["n2"]]},
          {"id":"n2","type":"debug","z":"t1","x":300,"y":80,"wires":[]},
          {"id":"s1","type":"subflow","name":"Retry","in":[],"out":[]},
          {"id":"n3","type":"function","z":"s1","name":"retry","func":"return msg;","wires":[]},
          {"id":"c1","type":"mqtt-broker","name":"broker","broker":"localhost"}
        ]
        """;

    [Fact]
    public void Between_IsEmpty_WhenFlowsAreTheSameInAnotherOrder()
    {
        var before = Flows(Base);
        var after = new JsonArray([.. before.Reverse().Select(n => n!.DeepClone())]);

        var diff = FlowDiff.Between(before, after);

        diff.IsEmpty.ShouldBeTrue();
        diff.Summary.ShouldBe("no change");
    }

    [Fact]
    public void Between_GroupsAddedRemovedAndChangedNodesByTab_WithChangedPropertyNames()
    {
        var after = Flows(Base);
        after.RemoveAt(2); // n2, the debug node, goes
        after.Add(new JsonObject { ["id"] = "n4", ["type"] = "change", ["z"] = "t1", ["name"] = "set topic" });
        var inject = after.OfType<JsonObject>().Single(n => (string?)n["id"] == "n1");
        inject["name"] = "every minute";
        inject["x"] = 140;

        var diff = FlowDiff.Between(Flows(Base), after);

        var orders = diff.Groups.ShouldHaveSingleItem();
        orders.Label.ShouldBe("Orders");
        orders.Kind.ShouldBe("tab");
        orders.Status.ShouldBe(FlowGroupStatus.Changed);
        orders.Added.ShouldHaveSingleItem().ShouldBe(new FlowNodeChange("n4", "change", "set topic", []), new NodeChangeComparer());
        orders.Removed.ShouldHaveSingleItem().Id.ShouldBe("n2");
        var changed = orders.Changed.ShouldHaveSingleItem();
        changed.Id.ShouldBe("n1");
        changed.Properties.ShouldBe(["name", "x"]);
        diff.Summary.ShouldBe("1 added, 1 removed, 1 changed");
    }

    [Fact]
    public void Between_ShowsWholeTabAdded_AndSubflowAndGlobalConfigChanges()
    {
        var after = Flows(Base);
        after.Add(new JsonObject { ["id"] = "t2", ["type"] = "tab", ["label"] = "Billing" });
        after.Add(new JsonObject { ["id"] = "n5", ["type"] = "http in", ["z"] = "t2", ["url"] = "/bill" });
        after.OfType<JsonObject>().Single(n => (string?)n["id"] == "n3")["func"] = "msg.retry = true; return msg;";
        after.OfType<JsonObject>().Single(n => (string?)n["id"] == "c1")["broker"] = "mqtt.internal";

        var diff = FlowDiff.Between(Flows(Base), after);

        diff.Groups.Select(g => (g.Label, g.Kind, g.Status)).ShouldBe(
        [
            ("Retry", "subflow", FlowGroupStatus.Changed),
            (FlowNodes.GlobalLabel, "global", FlowGroupStatus.Changed),
            ("Billing", "tab", FlowGroupStatus.Added),
        ]);
        diff.Groups[2].Added.Select(n => n.Id).ShouldBe(["t2", "n5"]);
        diff.Groups[0].Changed.ShouldHaveSingleItem().Properties.ShouldBe(["func"]);
        diff.Groups[1].Changed.ShouldHaveSingleItem().Properties.ShouldBe(["broker"]);
    }

    [Fact]
    public void Between_ShowsTabRemovedWithItsNodes_AndEnvKeysAddedAndRemoved()
    {
        var after = new JsonArray([.. Flows(Base).OfType<JsonObject>().Where(n => (string?)n["id"] is not ("t1" or "n1" or "n2")).Select(n => n.DeepClone())]);
        after.Add(new JsonObject
        {
            ["id"] = "g", ["type"] = "global-config",
            ["env"] = new JsonArray(new JsonObject { ["name"] = "REGION", ["value"] = "eu", ["type"] = "str" }),
        });

        var diff = FlowDiff.Between(Flows(Base), after);

        var orders = diff.Groups.Single(g => g.Label == "Orders");
        orders.Status.ShouldBe(FlowGroupStatus.Removed);
        orders.Removed.Select(n => n.Id).ShouldBe(["t1", "n1", "n2"], ignoreOrder: true);
        diff.EnvKeysAdded.ShouldBe(["REGION"]);
        diff.EnvKeysRemoved.ShouldBe(["API_URL"]);
    }

    [Fact]
    public void Between_ReportsEnvValueEditedByHand_AsTabChange()
    {
        var after = Flows(Base);
        after[0]!["env"]![0]!["value"] = "http://edited-by-hand";

        var diff = FlowDiff.Between(Flows(Base), after);

        diff.Groups.ShouldHaveSingleItem().Changed.ShouldHaveSingleItem().ShouldSatisfyAllConditions(
            c => c.Id.ShouldBe("t1"),
            c => c.Properties.ShouldBe(["env"]));
        diff.EnvKeysAdded.ShouldBeEmpty();
    }

    private sealed class NodeChangeComparer : IEqualityComparer<FlowNodeChange>
    {
        public bool Equals(FlowNodeChange? x, FlowNodeChange? y) =>
            x is not null && y is not null && x.Id == y.Id && x.Type == y.Type && x.Name == y.Name && x.Properties.SequenceEqual(y.Properties);

        public int GetHashCode(FlowNodeChange obj) => obj.Id.GetHashCode(StringComparison.Ordinal);
    }
}
