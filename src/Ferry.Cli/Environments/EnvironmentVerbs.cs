using System.CommandLine;
using System.Text.Json.Nodes;
using Ferry.Cli.Client;
using Ferry.Cli.Pipelines;

namespace Ferry.Cli.Environments;

/// <summary><c>environments -p P</c>, <c>releases -p P</c>, <c>hold -p P -e E [--reason R | --lift]</c>.</summary>
internal static class EnvironmentVerbs
{
    public static Command List()
    {
        var pipeline = PipelineVerbs.PipelineOption();
        return ClientVerb.Create("environments", "Show a pipeline's environments: current release, its versions, status, since, by whom, hold", true, async call =>
        {
            var p = call.Get(pipeline);
            var text = await call.Client.SendForTextAsync(HttpMethod.Get, EnvironmentOptions.PipelinePath(p, "environments"), null, call.Cancellation);
            if (call.Json)
            {
                await call.Output.WriteLineAsync(text);
                return ExitCodes.Ok;
            }
            var table = new Table("environment", "release", "versions", "status", "since", "by", "hold").Wrap("versions", "hold");
            foreach (var environment in JsonNode.Parse(text).Items())
            {
                var current = environment["current"];
                var hold = environment["hold"];
                table.Add(environment.Text("name"), current.Text("name") ?? "none", PromotionText.Versions(current?["versions"]),
                    environment.Text("status") ?? "", current.Time("since"), current.Text("by"),
                    hold is null ? "" : Held(hold));
            }
            await table.WriteAsync(call.Output, $"pipeline '{p}' has no environments");
            return ExitCodes.Ok;
        }, pipeline);
    }

    public static Command Releases()
    {
        var pipeline = PipelineVerbs.PipelineOption();
        var limit = EnvironmentOptions.Limit(50);
        return ClientVerb.Create("releases", "List a pipeline's releases, newest first, with the environments each is verified in", true, async call =>
        {
            var p = call.Get(pipeline);
            var path = EnvironmentOptions.PipelinePath(p, $"releases?limit={EnvironmentOptions.CheckLimit(call.Get(limit))}");
            var text = await call.Client.SendForTextAsync(HttpMethod.Get, path, null, call.Cancellation);
            if (call.Json)
            {
                await call.Output.WriteLineAsync(text);
                return ExitCodes.Ok;
            }
            var table = new Table("release", "versions", "verified in", "created").Wrap("versions");
            foreach (var release in JsonNode.Parse(text).Items())
            {
                var verified = (release["verifiedIn"] as JsonArray ?? []).Select(e => e?.GetValue<string>());
                table.Add(release.Text("name") + (release.Flag("disabled") ? " (disabled)" : ""), PromotionText.Versions(release["versions"]),
                    string.Join(", ", verified), release.Time("createdAt"));
            }
            await table.WriteAsync(call.Output, $"pipeline '{p}' has no releases yet");
            return ExitCodes.Ok;
        }, pipeline, limit);
    }

    /// <summary><c>disable-release -p P -r rN</c> and <c>enable-release</c>: a disabled release goes nowhere, by hand or automatically.</summary>
    public static Command ReleaseDisabled(bool disabled)
    {
        var pipeline = PipelineVerbs.PipelineOption();
        var release = new Option<string>("--release", "-r") { Description = "The release (r7 or 7)", Required = true };
        var verb = disabled ? "disable" : "enable";
        return ClientVerb.Create($"{verb}-release", disabled
            ? "Disable a release: it is promoted nowhere any more, by hand or automatically"
            : "Enable a disabled release again", false, async call =>
        {
            var (p, r) = (call.Get(pipeline), call.Get(release));
            var answer = await call.Client.SendAsync(HttpMethod.Put, EnvironmentOptions.PipelinePath(p, $"releases/{Uri.EscapeDataString(r)}/{verb}"), null,
                call.Cancellation);
            await call.Output.WriteLineAsync($"{p}/{answer.Text("name")} is {(answer.Flag("disabled") ? "disabled" : "enabled")}");
            return ExitCodes.Ok;
        }, pipeline, release);
    }

    public static Command Hold()
    {
        var pipeline = PipelineVerbs.PipelineOption();
        var environment = EnvironmentOptions.Environment();
        var reason = new Option<string?>("--reason") { Description = "Why (shown in the environment and the audit log)" };
        var lift = new Option<bool>("--lift") { Description = "Lift the hold instead of setting it" };
        return ClientVerb.Create("hold", "Hold an environment: no automatic promotion until the hold is lifted (--lift) or someone promotes by hand", false, async call =>
        {
            var (p, e) = (call.Get(pipeline), call.Get(environment));
            var path = EnvironmentOptions.EnvironmentPath(p, e, "hold");
            if (call.Get(lift))
            {
                if (call.Get(reason) is not null)
                {
                    throw new UsageException("--reason goes with setting a hold, not with --lift");
                }
                await call.Client.SendAsync(HttpMethod.Delete, path, null, call.Cancellation);
                await call.Output.WriteLineAsync($"lifted the hold on {p}/{e}");
                return ExitCodes.Ok;
            }
            var view = await call.Client.SendAsync(HttpMethod.Put, path, new JsonObject { ["reason"] = call.Get(reason) }, call.Cancellation);
            await call.Output.WriteLineAsync($"{p}/{e} is {Held(view?["hold"])}; lift it with: ferry hold -p {p} -e {e} --lift");
            return ExitCodes.Ok;
        }, pipeline, environment, reason, lift);
    }

    // The server words the reason ("a hold (database migration)", or what a rollback says).
    private static string Held(JsonNode? hold) =>
        $"held by {hold.Text("setBy")}" + (hold.Text("reason") is { Length: > 0 } reason ? $": {reason}" : "");
}
