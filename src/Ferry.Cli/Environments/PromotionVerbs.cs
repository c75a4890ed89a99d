using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Ferry.Cli.Builds;
using Ferry.Cli.Client;
using Ferry.Cli.Pipelines;

namespace Ferry.Cli.Environments;

/// <summary><c>promote</c>, <c>rollback</c>, <c>approve</c>, <c>reject</c>, <c>promotions</c>, <c>audit</c>.</summary>
internal static class PromotionVerbs
{
    public static Command Promote()
    {
        var pipeline = PipelineVerbs.PipelineOption();
        var environment = EnvironmentOptions.Environment();
        var release = new Option<string?>("--release", "-r") { Description = "The release, r7 or 7 (default: the newest one that may go there now)" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Only show what would change, and whether it would be refused" };
        var watch = new Option<bool>("--watch", "-w") { Description = "Follow the promotion's build to the end; exit 0 only when the promotion succeeded" };
        return ClientVerb.Create("promote", "Promote a release to an environment: prints the preview, then the promotion", false, async call =>
        {
            var (p, e) = (call.Get(pipeline), call.Get(environment));
            if (call.Get(dryRun) && call.Get(watch))
            {
                throw new UsageException("--dry-run promotes nothing, so there is nothing to --watch");
            }
            var path = EnvironmentOptions.EnvironmentPath(p, e, "promotions");
            var preview = await call.Client.SendAsync(HttpMethod.Post, path, Request(call.Get(release), dryRun: true), call.Cancellation);
            await PromotionText.WritePreviewAsync(call.Output, p, preview!);
            if (preview!["refusal"] is JsonObject refusal)
            {
                await call.Error.WriteLineAsync($"ferry promote: refused: {refusal.Text("message")}");
                return ExitCodes.Failed;
            }
            if (call.Get(dryRun))
            {
                await call.Output.WriteLineAsync("dry run: nothing promoted");
                return ExitCodes.Ok;
            }
            // Promote exactly the release the preview showed, even if a newer one became eligible meanwhile.
            var promotion = await call.Client.SendAsync(HttpMethod.Post, path, Request(preview.Text("release"), dryRun: false), call.Cancellation);
            await call.Output.WriteLineAsync(PromotionText.Promotion(promotion!));
            return call.Get(watch) ? await PromotionWatcher.WatchAsync(call, p, promotion!) : ExitCodes.Ok;
        }, pipeline, environment, release, dryRun, watch);
    }

    public static Command Rollback()
    {
        var pipeline = PipelineVerbs.PipelineOption();
        var environment = EnvironmentOptions.Environment();
        var to = new Option<string>("--to") { Description = "The release to go back to (one verified in the environment before), r3 or 3", Required = true };
        return ClientVerb.Create("rollback", "Promote an older release verified in the environment, and hold the environment there", false, async call =>
        {
            var (p, e) = (call.Get(pipeline), call.Get(environment));
            var promotion = await call.Client.SendAsync(HttpMethod.Post, EnvironmentOptions.EnvironmentPath(p, e, "rollback"),
                new JsonObject { ["to"] = call.Get(to) }, call.Cancellation);
            await call.Output.WriteLineAsync(PromotionText.Promotion(promotion!));
            await call.Output.WriteLineAsync($"{p}/{e} is held: nothing is promoted there automatically until: ferry hold -p {p} -e {e} --lift");
            return ExitCodes.Ok;
        }, pipeline, environment, to);
    }

    public static Command Approve() => Decide("approve", "Approve the promotion awaiting approval in an environment", "approved");

    public static Command Reject() => Decide("reject", "Reject the promotion awaiting approval in an environment (one rejection ends it)", "rejected");

    private static Command Decide(string verb, string description, string done)
    {
        var pipeline = PipelineVerbs.PipelineOption();
        var environment = EnvironmentOptions.Environment();
        var id = new Option<long?>("--promotion") { Description = "The promotion's id (default: the one awaiting approval in the environment)" };
        var comment = new Option<string?>("--comment", "-m") { Description = "Why (kept with the vote and in the audit log)" };
        return ClientVerb.Create(verb, description, false, async call =>
        {
            var (p, e) = (call.Get(pipeline), call.Get(environment));
            var promotion = call.Parse.GetValue(id) is { } given
                ? await call.Client.GetAsync(EnvironmentOptions.PipelinePath(p, $"promotions/{given}"), call.Cancellation)
                : await AwaitingAsync(call, p, e);
            if (promotion.Text("environment") != e)
            {
                throw new UsageException($"promotion {promotion.Text("id")} is in environment '{promotion.Text("environment")}', not '{e}'");
            }
            var decided = await call.Client.SendAsync(HttpMethod.Post, EnvironmentOptions.PipelinePath(p, $"promotions/{promotion.Text("id")}/{verb}"),
                new JsonObject { ["comment"] = call.Get(comment) }, call.Cancellation);
            await call.Output.WriteLineAsync($"{done}: {PromotionText.Promotion(decided!)}");
            return ExitCodes.Ok;
        }, pipeline, environment, id, comment);
    }

    private static async Task<JsonNode?> AwaitingAsync(ClientCall call, string pipeline, string environment)
    {
        var path = EnvironmentOptions.PipelinePath(pipeline, $"promotions?environment={FerryClient.Escape(environment)}&limit=100");
        var waiting = (await call.Client.GetAsync(path, call.Cancellation)).Items().Where(x => x.Text("status") == "awaiting_approval").ToList();
        return waiting.Count switch
        {
            0 => throw new ApiProblemException(404, $"no promotion awaits approval in {pipeline}/{environment}", []),
            1 => waiting[0],
            _ => throw new UsageException(
                $"{waiting.Count} promotions await approval in {pipeline}/{environment} ({string.Join(", ", waiting.Select(w => w.Text("id")))}); pick one with --promotion ID"),
        };
    }

    public static Command List()
    {
        var pipeline = PipelineVerbs.PipelineOption();
        var environment = EnvironmentOptions.Environment(required: false);
        var limit = EnvironmentOptions.Limit(50);
        return ClientVerb.Create("promotions", "List promotions, newest first", true, async call =>
        {
            var p = call.Get(pipeline);
            var query = $"promotions?limit={EnvironmentOptions.CheckLimit(call.Get(limit))}";
            if (call.Parse.GetValue(environment) is { } e)
            {
                query += $"&environment={FerryClient.Escape(e)}";
            }
            var text = await call.Client.SendForTextAsync(HttpMethod.Get, EnvironmentOptions.PipelinePath(p, query), null, call.Cancellation);
            if (call.Json)
            {
                await call.Output.WriteLineAsync(text);
                return ExitCodes.Ok;
            }
            var table = new Table("id", "environment", "release", "trigger", "status", "by", "build", "created", "reason").Wrap("reason");
            foreach (var x in JsonNode.Parse(text).Items())
            {
                table.Add(x.Text("id"), x.Text("environment"), x.Text("release"), x.Text("trigger"), x.Text("status"), x.Text("requestedBy"),
                    x.Text("buildId"), x.Time("createdAt"), x.Text("reason"));
            }
            await table.WriteAsync(call.Output, "no promotions");
            return ExitCodes.Ok;
        }, pipeline, environment, limit);
    }

    public static Command Audit()
    {
        var pipeline = new Option<string?>("--pipeline", "-p")
        {
            Description = "Only this pipeline's entries (also of a destroyed pipeline of that name); every pipeline's without it",
        };
        var limit = EnvironmentOptions.Limit(100);
        return ClientVerb.Create("audit", "Who set configs, promoted, approved, rejected, rolled back, held, set variables, destroyed pipelines and changed users and tokens (pipeline -), and when; newest first", true, async call =>
        {
            var p = call.Get(pipeline);
            var query = $"limit={EnvironmentOptions.CheckLimit(call.Get(limit))}" + (p is null ? "" : $"&pipeline={FerryClient.Escape(p)}");
            var text = await call.Client.SendForTextAsync(HttpMethod.Get, $"api/v1/audit?{query}", null, call.Cancellation);
            if (call.Json)
            {
                await call.Output.WriteLineAsync(text);
                return ExitCodes.Ok;
            }
            var table = (p is null
                ? new Table("at", "pipeline", "actor", "action", "environment", "release", "promotion", "detail")
                : new Table("at", "actor", "action", "environment", "release", "promotion", "detail")).Wrap("detail");
            foreach (var a in JsonNode.Parse(text).Items())
            {
                string?[] cells = [a.Time("at"), a.Text("actor"), a.Text("action"), a.Text("environment"), a.Text("release"), a.Text("promotionId"), a.Text("detail")];
                table.Add(p is null ? [cells[0], a.Text("pipeline") is { Length: > 0 } name ? name : "-", .. cells[1..]] : cells);
            }
            await table.WriteAsync(call.Output, p is null ? "nothing audited yet" : $"nothing happened to pipeline '{p}' yet");
            return ExitCodes.Ok;
        }, pipeline, limit);
    }

    private static JsonObject Request(string? release, bool dryRun) => new() { ["release"] = release, ["dryRun"] = dryRun };

    internal static long Id(JsonNode? node, string field) => long.Parse(node.Text(field)!, CultureInfo.InvariantCulture);
}
