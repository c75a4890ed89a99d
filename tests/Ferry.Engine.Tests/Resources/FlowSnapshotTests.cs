using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
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

    private static JsonNode? Copy(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, Copy(p.Value)))),
        JsonArray a => new JsonArray([.. a.Select(Copy)]),
        null => null,
        _ => node.DeepClone(),
    };
}
