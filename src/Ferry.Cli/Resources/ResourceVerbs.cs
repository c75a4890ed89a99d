using System.CommandLine;
using System.Text.Json.Nodes;
using Ferry.Cli.Client;
using Ferry.Cli.Pipelines;

namespace Ferry.Cli.Resources;

/// <summary><c>resources -p P</c>, <c>check -r P/R [--watch]</c>, <c>pin</c>, <c>unpin</c>.</summary>
internal static class ResourceVerbs
{
    private static readonly TimeSpan CheckWatchTimeout = TimeSpan.FromMinutes(5);

    public static Command List()
    {
        var pipeline = PipelineVerbs.PipelineOption();
        return ClientVerb.Create("resources", "List a pipeline's resources and how their checks went", true, async call =>
        {
            var text = await call.Client.SendForTextAsync(HttpMethod.Get, Names.Path("pipelines", call.Get(pipeline), "resources"), null, call.Cancellation);
            if (call.Json)
            {
                await call.Output.WriteLineAsync(text);
                return ExitCodes.Ok;
            }
            var table = new Table("name", "type", "pinned", "checked", "check").Wrap("check");
            foreach (var r in JsonNode.Parse(text).Items())
            {
                table.Add(r.Text("name"), r.Text("type"), Pinned(r), r.Time("lastCheckedAt"),
                    r.Text("checkError") is { } error ? "error: " + FirstLine(error) : r.Text("lastCheckedAt") is null ? "pending" : "ok");
            }
            await table.WriteAsync(call.Output, $"pipeline '{call.Get(pipeline)}' has no resources");
            return ExitCodes.Ok;
        }, pipeline);
    }

    public static Command Check()
    {
        var resource = ResourceOption();
        var watch = new Option<bool>("--watch", "-w") { Description = "Wait for the check and show its result (exit 1 when it failed)" };
        return ClientVerb.Create("check", "Check a resource for new versions now", false, async call =>
        {
            var (p, r) = Names.Split(call.Get(resource), "-r", "resource");
            var path = Names.Path("pipelines", p, "resources", r);
            var requested = await call.Client.SendAsync(HttpMethod.Post, path + "/check", null, call.Cancellation);
            await call.Output.WriteLineAsync($"check of {p}/{r} requested");
            if (!call.Get(watch))
            {
                return ExitCodes.Ok;
            }
            var since = DateTimeOffset.Parse(requested.Text("requestedAt")!, System.Globalization.CultureInfo.InvariantCulture);
            var state = await Terminal.For(call.Output).WaitingAsync($"checking {p}/{r}", _ => CheckedSinceAsync(call, path, since));
            if (state is null)
            {
                await call.Error.WriteLineAsync($"ferry check: {p}/{r} was not checked within {CheckWatchTimeout.TotalMinutes:0} minutes (is the pipeline paused?)");
                return ExitCodes.Failed;
            }
            if (state.Text("checkError") is { } error)
            {
                await call.Error.WriteLineAsync($"ferry check: check of {p}/{r} failed: {error}");
                return ExitCodes.Failed;
            }
            await call.Output.WriteLineAsync($"check of {p}/{r} succeeded");
            return ExitCodes.Ok;
        }, resource, watch);
    }

    /// <summary>The resource once a check that started at or after <paramref name="since"/> is recorded; null when none is in time.</summary>
    private static async Task<JsonNode?> CheckedSinceAsync(ClientCall call, string path, DateTimeOffset since)
    {
        var deadline = DateTimeOffset.UtcNow + CheckWatchTimeout;
        while (DateTimeOffset.UtcNow < deadline)
        {
            var state = await call.Client.GetAsync(path, call.Cancellation);
            if (DateTimeOffset.TryParse(state.Text("lastCheckedAt"), System.Globalization.CultureInfo.InvariantCulture, out var checkedAt) && checkedAt >= since)
            {
                return state;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(250), call.Cancellation);
        }
        return null;
    }

    public static Command Pin()
    {
        var resource = ResourceOption();
        var version = VersionOption();
        var comment = new Option<string?>("--comment") { Description = "Why it is pinned, shown with the resource" };
        return ClientVerb.Create("pin", "Pin a resource to one of its versions: jobs get only that version", false, async call =>
        {
            var (p, r) = Names.Split(call.Get(resource), "-r", "resource");
            var body = new JsonObject { ["version"] = Fields(call.Get(version)), ["comment"] = call.Parse.GetValue(comment) };
            var result = await call.Client.SendAsync(HttpMethod.Put, Names.Path("pipelines", p, "resources", r) + "/pin", body, call.Cancellation);
            await call.Output.WriteLineAsync($"pinned {p}/{r} to {Pinned(result)}");
            return ExitCodes.Ok;
        }, resource, version, comment);
    }

    public static Command Unpin()
    {
        var resource = ResourceOption();
        return ClientVerb.Create("unpin", "Unpin a resource", false, async call =>
        {
            var (p, r) = Names.Split(call.Get(resource), "-r", "resource");
            await call.Client.SendAsync(HttpMethod.Put, Names.Path("pipelines", p, "resources", r) + "/unpin", null, call.Cancellation);
            await call.Output.WriteLineAsync($"unpinned {p}/{r}");
            return ExitCodes.Ok;
        }, resource);
    }

    internal static Option<string> ResourceOption() => new("--resource", "-r") { Description = "The resource, as PIPELINE/RESOURCE", Required = true };

    internal static Option<string[]> VersionOption() => new("--version", "-v")
    {
        Description = "The version's fields as key:value (repeatable, or comma-separated); one field of several is enough",
        Required = true,
        Arity = ArgumentArity.OneOrMore,
    };

    /// <summary><c>-v ref:abc -v branch:main</c> or <c>-v ref:abc,branch:main</c> → {"ref": "abc", "branch": "main"}.</summary>
    internal static JsonObject Fields(string[] texts)
    {
        var fields = new JsonObject();
        foreach (var part in texts.SelectMany(t => t.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            var colon = part.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                throw new UsageException($"-v '{part}' must be key:value");
            }
            fields[part[..colon]] = part[(colon + 1)..];
        }
        return fields.Count > 0 ? fields : throw new UsageException("-v needs at least one key:value");
    }

    internal static string Describe(JsonNode? version) =>
        version is JsonObject o ? string.Join(",", o.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}:{p.Value}")) : "";

    private static string Pinned(JsonNode? resource) =>
        resource?["pinnedVersion"] is { } pinned ? Describe(pinned["version"]) : "";

    private static string FirstLine(string text) => text.Split('\n', 2)[0];
}
