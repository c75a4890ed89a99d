using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Ferry.Benchmarks.Budgets;

namespace Ferry.Benchmarks.Server;

/// <summary>
/// `large-log`: a real `ferry server` runs a build whose task prints 20 MB, then its build page is loaded by 20
/// clients at once, a few rounds; the server's peak resident memory (VmHWM) over the page loads is the figure
/// (budget: under 500 MB). The peak is reset after the build (writing 5 to /proc/PID/clear_refs) so the build's own
/// log ingest is reported apart.
/// </summary>
internal static class LargeLogFigures
{
    private const int Clients = 20;
    private const int Rounds = 3;
    private const int LogLines = 200_000;
    private const int LineLength = 100;

    // 200,000 lines of 100 bytes: 20,000,000 bytes, just under a step's 20 MiB log cap.
    private static readonly string Pipeline = $$"""
        jobs:
          - name: flood
            plan:
              - task: print
                config:
                  platform: linux
                  run:
                    path: awk
                    args: ["BEGIN { for (i = 1; i <= {{LogLines}}; i++) printf \"line %07d %0{{LineLength - 14}}d\\n\", i, 0 }"]
        """;

    public static async Task<int> RunAsync()
    {
        await using var server = await ServerProcess.StartAsync();
        Console.WriteLine($"ferry server pid {server.Pid} at {server.Url}");
        var file = Path.Combine(server.DataDirectory, "flood.yml");
        await File.WriteAllTextAsync(file, Pipeline);
        await Commands.FerryAsync(server, "set-pipeline", "-p", "flood", "-c", file, "--yes");
        using var http = new HttpClient { BaseAddress = new Uri(server.Url), Timeout = TimeSpan.FromMinutes(5) };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", server.AdminToken);

        var idle = server.ResidentMegabytes();
        var clock = Stopwatch.StartNew();
        var build = await RunBuildAsync(http);
        var ran = clock.Elapsed;
        var logBytes = await LogBytesAsync(http, build);
        var afterBuild = server.ResidentMegabytes();
        var buildPeak = server.PeakResidentMegabytes();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"build {build}: {logBytes / 1e6:0.0} MB of log in {ran.TotalSeconds:0.0} s; RSS {idle:0.0} MB before, {afterBuild:0.0} MB after, peak {buildPeak:0.0} MB"));

        server.ResetPeakResident();
        var pages = new List<(double Seconds, long Bytes)>();
        for (var round = 1; round <= Rounds; round++)
        {
            var loads = await Task.WhenAll(Enumerable.Range(0, Clients).Select(_ => LoadPageAsync(http, $"/builds/{build}")));
            pages.AddRange(loads);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"round {round}: {Clients} parallel page loads, slowest {loads.Max(l => l.Seconds) * 1000:0} ms, page {loads[0].Bytes / 1024.0:0} KB; peak RSS so far {server.PeakResidentMegabytes():0.0} MB"));
        }
        var earlier = await Task.WhenAll(Enumerable.Range(0, Clients).Select(_ => LoadPageAsync(http, $"/api/v1/builds/{build}/log?before=100")));
        var peak = server.PeakResidentMegabytes();
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {Clients} parallel loads x {Rounds} rounds of a build page with a {logBytes / 1e6:0.0} MB log | page {pages[0].Bytes / 1024.0:0} KB | median {Median(pages.Select(p => p.Seconds)) * 1000:0} ms | peak RSS (VmHWM) {peak:0.0} MB (budget 500 MB) |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"({Clients} parallel API log pages of earlier output included, {earlier[0].Bytes / 1024.0:0} KB each; RSS now {server.ResidentMegabytes():0.0} MB)"));
        BudgetFigures.AtMost("Large log page", $"peak resident, {Clients} loads at once of a {logBytes / 1e6:0} MB log's page", peak, "MB", 500);
        return peak < 500 ? 0 : 1;
    }

    private static async Task<long> RunBuildAsync(HttpClient http)
    {
        using var trigger = await http.PostAsync("/api/v1/pipelines/flood/jobs/flood/builds", null);
        var created = JsonNode.Parse(await trigger.Content.ReadAsStringAsync())!;
        if (!trigger.IsSuccessStatusCode)
            throw new InvalidOperationException($"trigger answered {(int)trigger.StatusCode}: {created}");
        var id = created["id"]!.GetValue<long>();
        var deadline = DateTime.UtcNow.AddMinutes(5);
        while (DateTime.UtcNow < deadline)
        {
            var build = (await http.GetFromJsonAsync<JsonNode>($"/api/v1/builds/{id}"))!;
            var status = build["build"]!["status"]!.GetValue<string>();
            if (status == "succeeded")
                return id;
            if (status is "failed" or "errored" or "aborted")
                throw new InvalidOperationException($"build {id} {status}");
            await Task.Delay(250);
        }
        throw new TimeoutException($"build {id} did not end within 5 minutes");
    }

    /// <summary>The build's log text in bytes, read page by page back from the end.</summary>
    private static async Task<long> LogBytesAsync(HttpClient http, long build)
    {
        long bytes = 0;
        string query = "";
        while (true)
        {
            var page = (await http.GetFromJsonAsync<JsonNode>($"/api/v1/builds/{build}/log{query}"))!;
            bytes += page["events"]!.AsArray().Where(e => e!["type"]!.GetValue<string>() == "log").Sum(e => (long)e!["text"]!.GetValue<string>().Length);
            if (!page["earlier"]!.GetValue<bool>())
                return bytes;
            query = $"?before={page["firstSeq"]}";
        }
    }

    private static async Task<(double Seconds, long Bytes)> LoadPageAsync(HttpClient http, string path)
    {
        var clock = Stopwatch.StartNew();
        using var response = await http.GetAsync(path);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadAsByteArrayAsync();
        return (clock.Elapsed.TotalSeconds, body.LongLength);
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }
}
