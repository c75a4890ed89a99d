using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Ferry.Core.Flows;
using Ferry.Engine.Resources.NodeRed;

namespace Ferry.Engine.Tests.Resources;

/// <summary>The snapshot's canonical text and hash, which name every snapshot already stored and cached.</summary>
public sealed class FlowSnapshotTests
{
    // Fields in Node-RED's order (not sorted), nested objects and arrays, numbers as written, null, and text the
    // writer escapes (HTML-sensitive characters, non-ASCII, a quote, a newline).
    private const string Flows = """
        [
          {"type": "tab", "id": "t1", "label": "Orders <main> & \"more\"", "env": [{"value": "Zürich", "name": "CITY", "type": "str"}]},
          {"wires": [["n2"]], "z": "t1", "id": "n1", "type": "function", "func": "if (a < b && c > d) {\n  return msg;\n}", "x": 150.5, "y": 1e2,
           "libs": [], "outputs": 1, "noerr": 0, "initialize": null, "info": "日本語 ✓"},
          {"id": "g1", "type": "global-config", "env": [], "modules": {"node-red-contrib-b": "1.0.0", "node-red-contrib-a": "2.0.0"}}
        ]
        """;

    [Fact]
    public void Of_WritesWhatACanonicalCopyWrote_WhenKeysAreUnsortedAndTextNeedsEscaping()
    {
        var snapshot = FlowSnapshot.Of(JsonNode.Parse(Flows)!.AsArray());

        // How the canonical text was made before: a sorted copy of every node, serialized with the default options.
        var expected = Copy(JsonNode.Parse(Flows))!.ToJsonString();
        snapshot.Canonical.ShouldBe(expected);
        snapshot.Hash.ShouldBe(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(expected))));
        snapshot.Canonical.ShouldStartWith("""[{"env":[{"name":"CITY","type":"str","value":"Z\u00FCrich"}],"id":"t1",""");
    }

    [Fact]
    public void FromCanonical_ReadsTheSnapshotBack_WhenTheTextHashesToItsName()
    {
        var snapshot = FlowSnapshot.Of(JsonNode.Parse(Flows)!.AsArray());

        var read = FlowSnapshot.FromCanonical(snapshot.Canonical, snapshot.Hash).ShouldNotBeNull();

        read.Hash.ShouldBe(snapshot.Hash);
        read.Canonical.ShouldBe(snapshot.Canonical);
        read.EnvKeys.ShouldBe(["CITY"]);
        read.Nodes.Count().ShouldBe(3);
    }

    [Fact]
    public void FromCanonical_ReturnsNull_WhenTheTextDoesNotHashToItsName()
    {
        var snapshot = FlowSnapshot.Of(JsonNode.Parse(Flows)!.AsArray());

        FlowSnapshot.FromCanonical(snapshot.Canonical.Replace("Orders", "Orderz", StringComparison.Ordinal), snapshot.Hash).ShouldBeNull();
    }

    [Fact]
    public void Of_WritesTheSameText_WhenTheFlowsAreReadBackFromCanonicalText()
    {
        var snapshot = FlowSnapshot.Of(JsonNode.Parse(Flows)!.AsArray());

        FlowSnapshot.Of(JsonNode.Parse(snapshot.Canonical)!.AsArray()).Canonical.ShouldBe(snapshot.Canonical);
    }

    [Fact]
    public void ShapeHashOf_HashesWhatTheShapesCopyHashed_WhenEnvArraysHoldOddEntries()
    {
        // Env entries without a name, with a number for a name, not objects at all; env null; a node that holds no env
        // but has an env field (kept as it is); a subflow and a group; keys unsorted, and sorted as canonical text has them.
        const string odd = """
            [
              {"type": "tab", "id": "t1", "env": [{"value": "v", "name": "A", "type": "str"}, {"value": "no name"}, {"name": 7}, "text", null]},
              {"type": "subflow", "id": "s1", "env": null, "in": []},
              {"env": [{"name": "G", "value": "g", "type": "num"}], "id": "gr1", "type": "group", "z": "t1"},
              {"type": "function", "id": "f1", "z": "t1", "env": [{"name": "F", "value": "kept"}], "wires": [[]]},
              {"id": "g1", "type": "global-config", "env": [], "modules": {}},
              "not a node"
            ]
            """;
        foreach (var text in new[] { odd, Flows })
        {
            var flows = JsonNode.Parse(text)!.AsArray();
            var before = FlowSnapshot.Of(FlowShape.Of(flows)).Hash;

            FlowSnapshot.ShapeHashOf(flows).ShouldBe(before);
            FlowSnapshot.ShapeHashOf(JsonNode.Parse(FlowSnapshot.Of(flows).Canonical)!.AsArray()).ShouldBe(before);
        }
    }

    private static JsonNode? Copy(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, Copy(p.Value)))),
        JsonArray a => new JsonArray([.. a.Select(Copy)]),
        null => null,
        _ => node.DeepClone(),
    };
}
