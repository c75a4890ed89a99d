using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Ferry.Core.Flows;
using Ferry.Core.Versions;

namespace Ferry.Engine.Resources.NodeRed;

/// <summary>
/// An instance's flows as one immutable, content-addressed value: <see cref="Hash"/> is the SHA-256 of the
/// canonical JSON (object keys sorted, no whitespace), so the same flows hash alike whatever order Node-RED wrote
/// their fields in.
/// </summary>
internal sealed class FlowSnapshot
{
    private FlowSnapshot(JsonArray flows, string canonical)
    {
        Flows = flows;
        Canonical = canonical;
        Hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }

    public JsonArray Flows { get; }

    public string Canonical { get; }

    public string Hash { get; }

    public static FlowSnapshot Of(JsonArray flows) => new(flows, Canonicalize(flows)!.ToJsonString());

    public IEnumerable<JsonObject> Nodes => Flows.OfType<JsonObject>();

    /// <summary>The environment variable keys of every node that holds them (<see cref="FlowEnv"/>), sorted.</summary>
    public IReadOnlyList<string> EnvKeys =>
        [.. Nodes.Where(FlowEnv.Holds).SelectMany(FlowEnv.Keys).Distinct().Order(StringComparer.Ordinal)];

    public int Tabs => Nodes.Count(n => FlowNodes.TypeOf(n) == "tab");

    public ResourceVersion Version(string rev) => new(
        new Dictionary<string, string> { ["rev"] = rev, ["snapshot"] = Hash },
        [
            new MetadataField("tabs", Tabs.ToString(CultureInfo.InvariantCulture)),
            new MetadataField("nodes", Nodes.Count().ToString(CultureInfo.InvariantCulture)),
            new MetadataField("env_keys", string.Join(", ", EnvKeys)),
        ]);

    private static JsonNode? Canonicalize(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, Canonicalize(p.Value)))),
        JsonArray a => new JsonArray([.. a.Select(Canonicalize)]),
        null => null,
        _ => node.DeepClone(),
    };
}
