using System.Text.Json.Nodes;
using Ferry.Cli.Client;

namespace Ferry.Cli.Environments;

/// <summary>How releases, versions, previews and promotions read on a terminal.</summary>
internal static class PromotionText
{
    /// <summary><c>app ref:3f2a1c9d4e, config version:12</c>: each resource with its version's fields (long commit ids shortened).</summary>
    public static string Versions(JsonNode? versions) =>
        versions is JsonObject resources
            ? string.Join(", ", resources.Select(r => $"{r.Key} {Version(r.Value)}"))
            : "";

    public static string Version(JsonNode? version) =>
        version is JsonObject fields ? string.Join(",", fields.Select(f => $"{f.Key}:{Short(f.Value.Text())}")) : "none";

    /// <summary>
    /// A git commit id to 10 digits; a SHA-256 (a Node-RED snapshot's hash, its flows' rev) to the 12 that
    /// <c>ferry snapshots</c> shows, so that a table of environments fits a terminal.
    /// </summary>
    public static string Short(string? value) =>
        value is { Length: 40 or 64 } && value.All(char.IsAsciiHexDigit) ? value[..(value.Length == 40 ? 10 : 12)] : value ?? "";

    /// <summary>The preview: which release, what changes resource by resource with its commits, and what would refuse it.</summary>
    public static async Task WritePreviewAsync(TextWriter output, string pipeline, JsonNode preview)
    {
        var current = preview.Text("currentRelease");
        await output.WriteLineAsync(
            $"{pipeline}/{preview.Text("environment")}: {preview.Text("release")} {(current is null ? "would be its first release" : $"would replace {current}")}");
        var changes = (preview["changes"] as JsonArray ?? []).OfType<JsonNode>().ToList();
        if (changes.Count == 0)
        {
            await output.WriteLineAsync("  no resource changes");
        }
        foreach (var change in changes)
        {
            var from = change["from"];
            var to = change["to"];
            var what = from is null ? $"new: {Version(to)}" : to is null ? $"removed: {Version(from)}" : $"{Version(from)} -> {Version(to)}";
            await output.WriteLineAsync($"  {change.Text("resource")}: {what}");
            foreach (var field in (change["metadata"] as JsonArray ?? []).OfType<JsonNode>())
            {
                await output.WriteLineAsync($"    {field.Text("name")}: {field.Text("value")}");
            }
            foreach (var commit in (change["commits"] as JsonArray ?? []).OfType<JsonNode>())
            {
                await output.WriteLineAsync($"    {Short(commit.Text("sha"))} {commit.Text("subject")} ({commit.Text("author")})");
            }
        }
        if (preview["flows"] is JsonObject flows)
        {
            await WriteFlowsAsync(output, preview.Text("environment"), flows);
        }
        if (preview["keysWithoutValue"] is JsonArray { Count: > 0 } keys)
        {
            await output.WriteLineAsync($"  variables without a value: {string.Join(", ", keys.Select(k => k.Text()))}");
        }
        if (preview["missingModules"] is JsonArray { Count: > 0 } modules)
        {
            await output.WriteLineAsync($"  node modules the instance lacks: {string.Join("; ", modules.OfType<JsonNode>().Select(Module))}");
        }
    }

    /// <summary><c>node-red-contrib-moment@5.0.0 (moment)</c>: a module the flows need, with the types they use of it.</summary>
    private static string Module(JsonNode module)
    {
        var name = module.Text("module") is { } m ? (module.Text("version") is { } v ? $"{m}@{v}" : m) : "an unknown module";
        return $"{name} ({string.Join(", ", (module["types"] as JsonArray ?? []).Select(t => t.Text()))})";
    }

    /// <summary>The flow changes in the target instance, tab by tab: <c>+</c> added, <c>-</c> removed, <c>~</c> changed (with the properties).</summary>
    private static async Task WriteFlowsAsync(TextWriter output, string? environment, JsonObject flows)
    {
        await output.WriteLineAsync($"  flows in {environment}: {flows.Text("summary")}");
        foreach (var group in (flows["groups"] as JsonArray ?? []).OfType<JsonNode>())
        {
            var status = group.Text("status") is { } s && s != "changed" ? $", {s}" : "";
            await output.WriteLineAsync($"    {group.Text("label")} ({group.Text("kind")}{status})");
            foreach (var (mark, list) in new[] { ("+", "added"), ("-", "removed"), ("~", "changed") })
            {
                foreach (var node in (group[list] as JsonArray ?? []).OfType<JsonNode>())
                {
                    var name = node.Text("name") is { Length: > 0 } n ? $" {n}" : "";
                    var properties = node["properties"] is JsonArray { Count: > 0 } p ? ": " + string.Join(", ", p.Select(x => x.Text())) : "";
                    await output.WriteLineAsync($"      {mark} {node.Text("type")}{name} ({node.Text("id")}){properties}");
                }
            }
        }
        foreach (var (label, list) in new[] { ("env keys added", "envKeysAdded"), ("env keys removed", "envKeysRemoved") })
        {
            if (flows[list] is JsonArray { Count: > 0 } keys)
            {
                await output.WriteLineAsync($"    {label}: {string.Join(", ", keys.Select(k => k.Text()))}");
            }
        }
    }

    /// <summary>One line: <c>promotion 12: r5 to staging, awaiting_approval (0 of 1 approvals from ops)</c>.</summary>
    public static string Promotion(JsonNode promotion)
    {
        var status = promotion.Text("status");
        var extra = new List<string>();
        if (status == "awaiting_approval" && promotion["approval"] is JsonObject approval)
        {
            var yes = (promotion["votes"] as JsonArray ?? []).Count(v => v.Flag("approved"));
            var from = approval["from"] is JsonArray { Count: > 0 } f ? " from " + string.Join(", ", f.Select(x => x.Text())) : "";
            extra.Add($"{yes} of {approval.Text("required")} approvals{from}");
        }
        if (promotion.Text("buildId") is { } build)
        {
            extra.Add($"build {build}");
        }
        if (promotion.Text("reason") is { Length: > 0 } reason)
        {
            extra.Add(reason);
        }
        var trigger = promotion.Text("trigger") is "rollback" ? "rollback" : "promotion";
        return $"{trigger} {promotion.Text("id")}: {promotion.Text("release")} to {promotion.Text("environment")}, {status}"
            + (extra.Count == 0 ? "" : $" ({string.Join("; ", extra)})");
    }

    private static string? Text(this JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var s) ? s : node?.ToJsonString();
}
