using System.Text.Json.Nodes;
using Ferry.Cli.Builds;
using Ferry.Cli.Client;

namespace Ferry.Cli.Environments;

/// <summary>
/// <c>promote --watch</c>: waits for the promotion's build (through approval, if it needs one), streams it like
/// <c>trigger --watch</c>, then waits for the promotion's own end. Exit 0 only when the promotion succeeded.
/// </summary>
internal static class PromotionWatcher
{
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(1);

    // The promoter records the promotion's end after its build ended; longer than this means it is stuck.
    private static readonly TimeSpan SettleLimit = TimeSpan.FromMinutes(2);

    private static readonly HashSet<string> Ended = ["succeeded", "failed", "errored", "aborted", "rejected"];

    public static async Task<int> WatchAsync(ClientCall call, string pipeline, JsonNode promotion)
    {
        var path = EnvironmentOptions.PipelinePath(pipeline, $"promotions/{promotion.Text("id")}");
        var terminal = Terminal.For(call.Output);
        promotion = await terminal.WaitingAsync(PromotionText.Promotion(promotion), status => UntilBuildAsync(call, terminal, path, promotion, status));
        if (promotion.Text("buildId") is not null)
        {
            await BuildWatcher.WatchAsync(call.Client, PromotionVerbs.Id(promotion, "buildId"), call.Output, call.Error, call.Cancellation);
            using var settle = CancellationTokenSource.CreateLinkedTokenSource(call.Cancellation);
            settle.CancelAfter(SettleLimit);
            try
            {
                promotion = await terminal.WaitingAsync($"promotion {promotion.Text("id")}: waiting for the promoter to record its end",
                    _ => UntilEndedAsync(call, path, promotion, settle.Token));
            }
            catch (OperationCanceledException) when (!call.Cancellation.IsCancellationRequested)
            {
                promotion = (await call.Client.GetAsync(path, call.Cancellation))!;
                await call.Error.WriteLineAsync(
                    $"ferry promote: promotion {promotion.Text("id")} is still {promotion.Text("status")} {SettleLimit.TotalMinutes:0} minutes after its build ended");
                return ExitCodes.Failed;
            }
            await call.Output.WriteLineAsync(PromotionText.Promotion(promotion));
        }
        return promotion.Text("status") == "succeeded" ? ExitCodes.Ok : ExitCodes.Failed;
    }

    /// <summary>Polls until the promotion has a build or ended without one; a change of status on the way is a line.</summary>
    private static async Task<JsonNode> UntilBuildAsync(ClientCall call, Terminal terminal, string path, JsonNode promotion, Action<string> status)
    {
        var seen = promotion.Text("status");
        while (promotion.Text("buildId") is null && !Ended.Contains(seen ?? ""))
        {
            await Task.Delay(Poll, call.Cancellation);
            promotion = (await call.Client.GetAsync(path, call.Cancellation))!;
            // Waiting for approval and its answer are worth a line; once there is a build, its log says the rest.
            if (promotion.Text("status") != seen && promotion.Text("buildId") is null)
            {
                seen = promotion.Text("status");
                await terminal.WriteLineAsync(PromotionText.Promotion(promotion));
                status(PromotionText.Promotion(promotion));
            }
        }
        return promotion;
    }

    private static async Task<JsonNode> UntilEndedAsync(ClientCall call, string path, JsonNode promotion, CancellationToken cancellationToken)
    {
        while (!Ended.Contains(promotion.Text("status") ?? ""))
        {
            await Task.Delay(Poll / 4, cancellationToken);
            promotion = (await call.Client.GetAsync(path, cancellationToken))!;
        }
        return promotion;
    }
}
