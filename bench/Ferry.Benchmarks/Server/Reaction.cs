using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Ferry.Benchmarks.Server;

/// <summary>One webhook round: how long from the webhook call until the triggered build was seen started.</summary>
/// <param name="ObservedMs">Webhook sent -> the API first showed the build started (polled every 5 ms).</param>
/// <param name="ToPendingMs">Webhook sent -> the build's createdAt (check, save versions, schedule).</param>
/// <param name="ToStartedMs">Webhook sent -> the build's startedAt (plus the runner's claim).</param>
internal sealed record ReactionRound(double ObservedMs, double ToPendingMs, double ToStartedMs);

/// <summary>
/// Commits to a git resource that is never polled, calls its webhook and polls the job's builds every 5 ms until
/// a new build is started; checks that build got the commit, and waits for it to end before the next round.
/// </summary>
internal sealed class Reaction(ServerProcess server, BenchRepository repo, string pipeline, string job, string resource, string token)
{
    private static readonly TimeSpan PollEvery = TimeSpan.FromMilliseconds(5);
    private static readonly TimeSpan RoundTimeout = TimeSpan.FromSeconds(30);
    private readonly HttpClient _http = new() { BaseAddress = new Uri(server.Url), Timeout = TimeSpan.FromSeconds(10) };

    public async Task<ReactionRound> RoundAsync()
    {
        var known = (await BuildsAsync()).Select(b => (long)b["id"]!).ToHashSet();
        var commit = await repo.CommitAsync();
        var sent = DateTime.UtcNow;
        var clock = Stopwatch.StartNew();
        using (var hook = await _http.PostAsJsonAsync($"/api/v1/pipelines/{pipeline}/resources/{resource}/check/webhook?webhook_token={token}", new { }))
        {
            if (!hook.IsSuccessStatusCode)
                throw new InvalidOperationException($"webhook answered {(int)hook.StatusCode}: {await hook.Content.ReadAsStringAsync()}");
        }
        JsonNode? started = null;
        while (started is null)
        {
            if (clock.Elapsed > RoundTimeout)
                throw new TimeoutException($"no build of {pipeline}/{job} started within {RoundTimeout} of the webhook\n--- server log\n{server.Log}");
            started = (await BuildsAsync()).FirstOrDefault(b => !known.Contains((long)b["id"]!) && b["startedAt"] is not null);
            if (started is null)
                await Task.Delay(PollEvery);
        }
        var observed = clock.Elapsed.TotalMilliseconds;
        var id = (long)started["id"]!;
        var got = await InputRefAsync(id);
        if (got != commit)
            throw new InvalidOperationException($"build {id} got {got ?? "no version"} for {resource}, not the commit {commit}");
        await WaitForEndAsync(id);
        return new ReactionRound(observed, Since(sent, started["createdAt"]!), Since(sent, started["startedAt"]!));
    }

    private static double Since(DateTime sent, JsonNode at) =>
        (at.GetValue<DateTime>().ToUniversalTime() - sent).TotalMilliseconds;

    private async Task<List<JsonNode>> BuildsAsync() =>
        (await GetAsync($"pipelines/{pipeline}/jobs/{job}/builds?limit=100"))["items"]!.AsArray().Select(b => b!).ToList();

    private async Task<string?> InputRefAsync(long buildId)
    {
        var detail = await GetAsync($"builds/{buildId}");
        return detail["inputs"]!.AsArray().FirstOrDefault(i => (string?)i!["name"] == resource)?["version"]?["ref"]?.GetValue<string>();
    }

    private async Task WaitForEndAsync(long buildId)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            if ((await GetAsync($"builds/{buildId}"))["build"]?["endedAt"] is not null)
                return;
            await Task.Delay(50);
        }
        throw new TimeoutException($"build {buildId} did not end within 60 s\n--- server log\n{server.Log}");
    }

    // The polls sign in as admin; the webhook, as a code host calls it, carries only its webhook_token.
    private async Task<JsonNode> GetAsync(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/" + path);
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", server.AdminToken);
        using var response = await _http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"GET {path}: {(int)response.StatusCode} {body}");
        return JsonNode.Parse(body)!;
    }
}
