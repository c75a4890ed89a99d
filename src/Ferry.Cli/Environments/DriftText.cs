using System.Text.Json.Nodes;
using Ferry.Cli.Client;

namespace Ferry.Cli.Environments;

/// <summary>How a flow diff and an instance's drift read on a terminal.</summary>
internal static class DriftText
{
    /// <summary>The refusal kind of a promotion onto a drifted instance, which <c>--force</c> overrides.</summary>
    public const string RefusalKind = "instance_drifted";

    /// <summary>The drift section of a preview or an environment: what was deployed, since when, and the diff.</summary>
    public static async Task WriteAsync(TextWriter output, JsonNode? drift)
    {
        if (drift is null)
            return;
        await output.WriteLineAsync($"  drift: the instance was edited by hand since Ferry deployed {drift.Text("deployed")} (seen {drift.Time("since")}):");
        await WriteDiffAsync(output, drift["diff"], "    ");
    }

    /// <summary>A diff by tab: each node added (+), removed (-) or changed (~) with the properties that changed.</summary>
    public static async Task WriteDiffAsync(TextWriter output, JsonNode? diff, string indent = "  ")
    {
        if (diff is null)
        {
            await output.WriteLineAsync($"{indent}(the deployed snapshot is no longer in the snapshot cache: no diff)");
            return;
        }
        var groups = diff["groups"].Items().ToList();
        if (groups.Count == 0 && !diff["envKeysAdded"].Items().Any() && !diff["envKeysRemoved"].Items().Any())
            await output.WriteLineAsync($"{indent}no change");
        foreach (var group in groups)
        {
            var status = group.Text("status") is "changed" or null ? "" : $" ({group.Text("status")})";
            await output.WriteLineAsync($"{indent}{group.Text("kind")} {group.Text("label")}{status}");
            foreach (var (mark, field) in new[] { ("+", "added"), ("-", "removed"), ("~", "changed") })
            {
                foreach (var node in group[field].Items())
                {
                    var properties = node["properties"].Items().Select(p => p.GetValue<string>()).ToList();
                    var name = node.Text("name") is { Length: > 0 } n ? $" '{n}'" : "";
                    await output.WriteLineAsync($"{indent}  {mark} {node.Text("type")}{name} {node.Text("id")}" +
                                                (properties.Count > 0 ? $": {string.Join(", ", properties)}" : ""));
                }
            }
        }
        if (diff["envKeysAdded"].Items().Select(k => k.GetValue<string>()).ToList() is { Count: > 0 } added)
            await output.WriteLineAsync($"{indent}env keys added: {string.Join(", ", added)}");
        if (diff["envKeysRemoved"].Items().Select(k => k.GetValue<string>()).ToList() is { Count: > 0 } removed)
            await output.WriteLineAsync($"{indent}env keys removed: {string.Join(", ", removed)}");
    }
}
