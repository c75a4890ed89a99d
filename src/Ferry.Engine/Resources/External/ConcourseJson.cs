using System.Text.Json;
using System.Text.Json.Nodes;
using Ferry.Core.Versions;
using Ferry.Engine.Processes;

namespace Ferry.Engine.Resources.External;

/// <summary>Reading and writing the JSON of Concourse's check/in/out protocol.</summary>
internal static class ConcourseJson
{
    private const int QuoteLength = 200;

    public static JsonObject CheckRequest(JsonObject source, ResourceVersion? from) =>
        new() { ["source"] = source.DeepClone(), ["version"] = from is null ? null : VersionObject(from) };

    public static JsonObject GetRequest(JsonObject source, ResourceVersion version, JsonObject @params) =>
        new() { ["source"] = source.DeepClone(), ["version"] = VersionObject(version), ["params"] = @params.DeepClone() };

    public static JsonObject PutRequest(JsonObject source, JsonObject @params) =>
        new() { ["source"] = source.DeepClone(), ["params"] = @params.DeepClone() };

    /// <summary>What a script printed on stdout, or the error its exit status or an oversized output means.</summary>
    public static string Output(CapturedRun result, string typeName, string script, int maxOutputChars)
    {
        if (result.ExitCode != 0)
        {
            var tail = result.StderrTail.Length == 0 ? "" : $": {result.StderrTail}";
            throw ResourceException.Retryable($"resource type '{typeName}': {script} exited with code {result.ExitCode}{tail}");
        }

        if (result.StdoutTruncated)
            throw ResourceException.Terminal($"resource type '{typeName}': {script} printed more than {maxOutputChars / 1024 / 1024} MiB on stdout; it printed: \"{result.Stdout[..QuoteLength]}…\"");
        return result.Stdout;
    }

    public static JsonObject VersionObject(ResourceVersion version)
    {
        var result = new JsonObject();
        foreach (var (name, value) in version.Version)
            result[name] = value;
        return result;
    }

    public static IReadOnlyList<ResourceVersion> ParseCheckOutput(string output, string typeName)
    {
        var node = Parse(output, typeName, "check");
        if (node is not JsonArray array)
            throw Malformed(typeName, "check", "expected a JSON array of versions", output);
        return array.Select(v => v is JsonObject o
            ? new ResourceVersion(Fields(o, typeName, "check", output))
            : throw Malformed(typeName, "check", "expected each version to be an object", output)).ToList();
    }

    public static ResourceVersion ParseVersionOutput(string output, string typeName, string script)
    {
        if (Parse(output, typeName, script) is not JsonObject result || result["version"] is not JsonObject version)
            throw Malformed(typeName, script, "expected {\"version\": {…}, \"metadata\": […]}", output);
        var metadata = new List<MetadataField>();
        if (result["metadata"] is JsonArray fields)
        {
            foreach (var field in fields)
            {
                if (field is not JsonObject f || f["name"] is null)
                    throw Malformed(typeName, script, "expected metadata entries {\"name\", \"value\"}", output);
                metadata.Add(new MetadataField(Text(f["name"]), Text(f["value"])));
            }
        }

        return new ResourceVersion(Fields(version, typeName, script, output), metadata);
    }

    private static JsonNode? Parse(string output, string typeName, string script)
    {
        try
        {
            return JsonNode.Parse(output);
        }
        catch (JsonException e)
        {
            throw Malformed(typeName, script, $"not JSON ({e.Message})", output);
        }
    }

    private static Dictionary<string, string> Fields(JsonObject version, string typeName, string script, string output)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in version)
        {
            // Concourse versions hold strings; numbers and booleans are taken as their text, nesting is refused.
            if (value is JsonObject or JsonArray)
                throw Malformed(typeName, script, $"version field '{name}' must be a string", output);
            fields[name] = Text(value);
        }

        return fields;
    }

    private static string Text(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue<string>(out var s) ? s : node?.ToJsonString() ?? "";

    private static ResourceException Malformed(string typeName, string script, string problem, string output)
    {
        var start = output.Length > QuoteLength ? output[..QuoteLength] + "…" : output;
        return ResourceException.Terminal($"resource type '{typeName}': {script} printed malformed output, {problem}; it printed: {JsonSerializer.Serialize(start)}");
    }
}
