using System.Text.Json.Nodes;
using Ferry.Core.Pipelines;
using Ferry.Engine.Resources.NodeRed;

namespace Ferry.Engine.Tests.Resources;

/// <summary>Carrying environment values: the previews' copy and the put's carrying in place agree.</summary>
public sealed class FlowEnvTests
{
    private const string Source = """
        [
          {"id": "t1", "type": "tab", "env": [{"name": "API_URL", "value": "http://dev", "type": "str"}, {"name": "NEW", "value": "n", "type": "num"}]},
          {"id": "t2", "type": "tab", "env": [{"name": "ONLY_DEV", "value": "d", "type": "str"}]},
          {"id": "n1", "type": "debug", "z": "t1", "wires": []}
        ]
        """;

    private const string Target = """
        [
          {"id": "t1", "type": "tab", "env": [{"name": "API_URL", "value": "http://staging", "type": "str"}, {"name": "OLD", "value": "o", "type": "str"}]}
        ]
        """;

    [Theory]
    [InlineData(EnvKeysMode.KeysOnly)]
    [InlineData(EnvKeysMode.Merge)]
    [InlineData(EnvKeysMode.None)]
    public void CarryInPlace_GivesWhatCarryGives_AndCarryLeavesItsSourceAlone(EnvKeysMode mode)
    {
        var source = JsonNode.Parse(Source)!.AsArray();
        var target = JsonNode.Parse(Target)!.AsArray();

        var copied = FlowEnv.Carry(source, target, mode);
        var own = JsonNode.Parse(Source)!.AsArray();
        var carried = FlowEnv.CarryInPlace(own, target, mode);

        carried.ShouldBeSameAs(own);
        carried.ToJsonString().ShouldBe(copied.ToJsonString());
        source.ToJsonString().ShouldBe(JsonNode.Parse(Source)!.ToJsonString());
        target.ToJsonString().ShouldBe(JsonNode.Parse(Target)!.ToJsonString());
        // The target's value travels into t1 in every mode; keys-only leaves a new key empty, merge gives it the source's.
        ((string?)carried[0]!["env"]![0]!["value"]).ShouldBe("http://staging");
        (mode switch
        {
            EnvKeysMode.KeysOnly => (string?)carried[0]!["env"]![1]!["value"] == "",
            EnvKeysMode.Merge => (string?)carried[0]!["env"]![1]!["value"] == "n",
            _ => (string?)carried[0]!["env"]![1]!["name"] == "OLD" && carried[1]!["env"] is null,
        }).ShouldBeTrue();
    }
}
