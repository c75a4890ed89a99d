using System.Diagnostics;
using System.Text.Json.Nodes;
using Ferry.Benchmarks.Server;

namespace Ferry.Benchmarks.NodeRed;

/// <summary>
/// One push: the promote request for a release until the API shows the promotion succeeded, with the server's own
/// timestamps along the way (ms after the request was sent; the server runs on this machine's clock).
/// </summary>
/// <param name="ObservedMs">Request sent -> the API first showed the promotion succeeded (polled every 10 ms).</param>
/// <param name="SucceededMs">Request sent -> the promotion's endedAt: when the server recorded it succeeded.</param>
/// <param name="Marks">Named points of the path: promotion created, build created, started, each step, build ended, promotion ended.</param>
internal sealed record PushRound(double ObservedMs, double SucceededMs, IReadOnlyList<(string What, double Ms)> Marks);

/// <summary>Promotes a release into an environment through the API and follows it to its end.</summary>
internal sealed class Push(FerryApi api, ServerProcess server, string pipeline, string environment)
{
    // Every poll is an API request the server answers on the same two cores as the push: not too often.
    private static readonly TimeSpan PollEvery = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public async Task<PushRound> RoundAsync(string release)
    {
        var sent = DateTime.UtcNow;
        var clock = Stopwatch.StartNew();
        var created = await api.PostAsync($"pipelines/{pipeline}/environments/{environment}/promotions", new JsonObject { ["release"] = release });
        var id = (long)created["id"]!;
        JsonNode promotion;
        while (true)
        {
            promotion = await api.GetAsync($"pipelines/{pipeline}/promotions/{id}");
            var status = (string)promotion["status"]!;
            if (status == "succeeded")
                break;
            if (status is "failed" or "errored" or "aborted" or "rejected")
                throw new InvalidOperationException($"promotion {id} of {release} ended {status}: {promotion["reason"]}\n--- server log\n{server.Log}");
            if (clock.Elapsed > Timeout)
                throw new TimeoutException($"promotion {id} of {release} still {status} after {Timeout}\n--- server log\n{server.Log}");
            await Task.Delay(PollEvery);
        }
        var observed = clock.Elapsed.TotalMilliseconds;
        var marks = new List<(string, double)> { ("promotion created", Since(sent, created["createdAt"]!)) };
        if (promotion["buildId"] is JsonValue buildId)
        {
            var build = (await api.GetAsync($"builds/{(long)buildId}"))["build"]!;
            marks.Add(("build created", Since(sent, build["createdAt"]!)));
            marks.Add(("build started (runner claimed)", Since(sent, build["startedAt"]!)));
            var names = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var e in await api.EventsAsync((long)buildId))
            {
                var type = (string)e["type"]!;
                var step = (string?)e["stepId"] ?? "";
                if (type == "step_started")
                    names[step] = $"{e["payload"]?["kind"]} {e["payload"]?["name"]}";
                if (type is "step_started" or "step_finished")
                    marks.Add(($"{names.GetValueOrDefault(step, step)} {type[5..]}", Since(sent, e["time"]!)));
            }
            marks.Add(("build ended", Since(sent, build["endedAt"]!)));
        }
        var succeeded = Since(sent, promotion["endedAt"]!);
        marks.Add(("promotion ended (succeeded)", succeeded));
        return new PushRound(observed, succeeded, marks);
    }

    private static double Since(DateTime sent, JsonNode at) => (at.GetValue<DateTime>().ToUniversalTime() - sent).TotalMilliseconds;
}
