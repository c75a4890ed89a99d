using System.CommandLine;
using System.Text.Json.Nodes;
using Ferry.Cli.Client;
using Ferry.Cli.Pipelines;

namespace Ferry.Cli.Environments;

/// <summary>
/// <c>push -p P --to staging [--snapshot now|latest|rN] [--yes] [--watch]</c>: FlowFuse's push from a stage to the
/// next, as a promotion. Prints the preview (versions, flow changes by tab, keys arriving empty), asks, then pushes
/// exactly the release the preview showed.
/// </summary>
internal static class PushVerb
{
    public static Command Create()
    {
        var pipeline = PipelineVerbs.PipelineOption();
        var to = new Option<string>("--to") { Description = "The stage to push into; the push takes from the stage before it", Required = true };
        var snapshot = new Option<string?>("--snapshot", "-s")
        {
            Description = "now (default: a snapshot of the source taken now), latest (the source's current release) or an earlier release (r3 or 3)",
        };
        var yes = new Option<bool>("--yes", "-y") { Description = "Push without asking after the preview" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Only show the preview (a snapshot now is still taken, as a check of the source)" };
        var force = new Option<bool>("--force") { Description = "Push even though the target's instance was edited by hand (drift): those edits get overwritten (audited)" };
        var watch = new Option<bool>("--watch", "-w") { Description = "Follow the promotion to its end; exit 0 only when it succeeded" };
        return ClientVerb.Create("push", "Push a stage's snapshot (now, latest or an earlier one) into the next stage: preview, confirm, promote", false, async call =>
        {
            var (p, e) = (call.Get(pipeline), call.Get(to));
            if (call.Get(dryRun) && (call.Get(watch) || call.Get(yes)))
            {
                throw new UsageException("--dry-run pushes nothing: it goes with neither --yes nor --watch");
            }
            var path = EnvironmentOptions.EnvironmentPath(p, e, "push");
            var preview = await call.Client.SendAsync(HttpMethod.Post, path, Request(call.Get(snapshot) ?? "now", dryRun: true), call.Cancellation);
            await call.Output.WriteLineAsync($"push {preview.Text("from")} -> {e}: {preview.Text("note")}");
            await PromotionText.WritePreviewAsync(call.Output, p, preview!["preview"]!);
            if (preview["preview"]?["refusal"] is JsonObject refusal && !(call.Get(force) && refusal.Text("kind") == DriftText.RefusalKind))
            {
                await call.Error.WriteLineAsync($"ferry push: refused: {refusal.Text("message")}");
                return ExitCodes.Failed;
            }
            if (call.Get(dryRun))
            {
                await call.Output.WriteLineAsync("dry run: nothing pushed");
                return ExitCodes.Ok;
            }
            var release = preview.Text("release");
            if (!call.Get(yes) && !await CliInput.ConfirmAsync(call.Output, $"push {release} into {e}?"))
            {
                await call.Output.WriteLineAsync("nothing pushed");
                return ExitCodes.Failed;
            }
            // Push exactly the release the preview showed, even if the source moved on meanwhile.
            var pushed = await call.Client.SendAsync(HttpMethod.Post, path, Request(release, dryRun: false, call.Get(force)), call.Cancellation);
            var promotion = pushed!["promotion"]!;
            await call.Output.WriteLineAsync(PromotionText.Promotion(promotion));
            return call.Get(watch) ? await PromotionWatcher.WatchAsync(call, p, promotion) : ExitCodes.Ok;
        }, pipeline, to, snapshot, yes, dryRun, watch, force);
    }

    private static JsonObject Request(string? snapshot, bool dryRun, bool force = false) =>
        new() { ["snapshot"] = snapshot, ["dryRun"] = dryRun, ["force"] = force };
}
