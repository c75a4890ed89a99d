using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
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
    private FlowSnapshot(JsonArray flows, string canonical, string hash)
    {
        Flows = flows;
        Canonical = canonical;
        Hash = hash;
    }

    public JsonArray Flows { get; }

    /// <summary>The canonical JSON: what is hashed, cached, and posted to Node-RED as the flows.</summary>
    public string Canonical { get; }

    public string Hash { get; }

    public static FlowSnapshot Of(JsonArray flows)
    {
        // Written straight from the nodes with each object's keys sorted: no canonical copy of a thousand nodes is built.
        var buffer = new ArrayBufferWriter<byte>(64 * 1024);
        using (var writer = new Utf8JsonWriter(buffer))
            Write(writer, flows);
        return new FlowSnapshot(flows, Encoding.UTF8.GetString(buffer.WrittenSpan), Convert.ToHexStringLower(SHA256.HashData(buffer.WrittenSpan)));
    }

    /// <summary>
    /// The hash of the canonical JSON of <see cref="FlowShape.Of"/>(<paramref name="flows"/>), written straight from the
    /// flows: each env array is written as its names alone, so no copy of a thousand nodes is made to drop a few values.
    /// </summary>
    public static string ShapeHashOf(JsonArray flows)
    {
        var buffer = new ArrayBufferWriter<byte>(64 * 1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var item in flows)
            {
                if (item is JsonObject node && FlowNodes.HoldsEnv(node) && node["env"] is JsonArray env)
                    WriteShape(writer, node, env);
                else
                    Write(writer, item);
            }
            writer.WriteEndArray();
        }
        return Convert.ToHexStringLower(SHA256.HashData(buffer.WrittenSpan));
    }

    /// <summary>
    /// A snapshot read back from the cache, whose text is canonical already: parsed once, not canonicalized again;
    /// null when the text does not hash to <paramref name="hash"/> (a damaged file is fetched again, not trusted).
    /// </summary>
    public static FlowSnapshot? FromCanonical(string canonical, string hash)
    {
        var actual = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
        return actual == hash && JsonNode.Parse(canonical) is JsonArray flows ? new FlowSnapshot(flows, canonical, hash) : null;
    }

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

    /// <summary>A node holding env as <see cref="FlowShape"/> has it: each entry of its env array reduced to <c>{name}</c>.</summary>
    private static void WriteShape(Utf8JsonWriter writer, JsonObject node, JsonArray env)
    {
        writer.WriteStartObject();
        foreach (var (key, value) in Sorted(node))
        {
            writer.WritePropertyName(key);
            if (!ReferenceEquals(value, env))
            {
                Write(writer, value);
                continue;
            }
            writer.WriteStartArray();
            foreach (var entry in env.OfType<JsonObject>())
            {
                writer.WriteStartObject();
                writer.WritePropertyName("name");
                Write(writer, entry["name"]);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
        }
        writer.WriteEndObject();
    }

    /// <summary>The object's properties in ordinal key order; as they are when they are in order already (read from canonical text).</summary>
    private static IEnumerable<KeyValuePair<string, JsonNode?>> Sorted(JsonObject o)
    {
        string? previous = null;
        foreach (var (key, _) in o)
        {
            if (previous is not null && string.CompareOrdinal(previous, key) >= 0)
                return o.OrderBy(p => p.Key, StringComparer.Ordinal);
            previous = key;
        }
        return o;
    }

    private static void Write(Utf8JsonWriter writer, JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                writer.WriteStartObject();
                foreach (var (key, value) in Sorted(o))
                {
                    writer.WritePropertyName(key);
                    Write(writer, value);
                }
                writer.WriteEndObject();
                break;
            case JsonArray a:
                writer.WriteStartArray();
                foreach (var item in a)
                    Write(writer, item);
                writer.WriteEndArray();
                break;
            case null:
                writer.WriteNullValue();
                break;
            default:
                node.WriteTo(writer);
                break;
        }
    }
}
