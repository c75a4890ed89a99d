using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Ferry.Benchmarks.Server;

/// <summary>
/// `dashboard`: a real `ferry server` with <see cref="Pipelines"/> pipelines of 3 jobs and 5 environments each; the
/// dashboard (<c>GET /</c>, server-side rendering) is loaded one at a time, and its median and slowest times are the
/// figures. The dashboard reads environments and job status for all pipelines in a fixed number of queries, so the
/// time grows with the page, not with round trips to the store.
/// </summary>
internal static class DashboardFigures
{
    private const int Pipelines = 100;
    private const int Environments = 5;
    private const int Loads = 30;

    private static string Pipeline()
    {
        var yaml = new StringBuilder("""
            resources:
              - name: app
                type: git
                check_every: never
                source: { uri: "file:///nonexistent/app.git", branch: main }
            jobs:
              - name: unit
                plan: [{ get: app, trigger: true }]
              - name: lint
                plan: [{ get: app, trigger: true }]
              - name: package
                plan: [{ get: app, passed: [unit, lint], trigger: true }]
            environments:

            """);
        for (var i = 1; i <= Environments; i++)
        {
            yaml.Append(CultureInfo.InvariantCulture, $"  - name: stage{i}\n");
            yaml.Append(i == 1 ? "    release: [app]\n    from: [package]\n" : $"    from: [stage{i - 1}]\n");
            yaml.Append("    deploy: [{ task: deploy, config: { platform: linux, run: { path: \"true\" } } }]\n");
        }
        return yaml.ToString();
    }

    public static async Task<int> RunAsync()
    {
        await using var server = await ServerProcess.StartAsync();
        Console.WriteLine($"ferry server pid {server.Pid} at {server.Url}");
        using var http = new HttpClient { BaseAddress = new Uri(server.Url), Timeout = TimeSpan.FromMinutes(2) };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", server.AdminToken);
        var yaml = Pipeline();
        for (var p = 1; p <= Pipelines; p++)
        {
            var name = string.Create(CultureInfo.InvariantCulture, $"service-{p:000}");
            using var set = await http.PutAsync($"/api/v1/pipelines/{name}/config",
                new StringContent(new JsonObject { ["config"] = yaml }.ToJsonString(), Encoding.UTF8, "application/json"));
            if (!set.IsSuccessStatusCode)
                throw new InvalidOperationException($"set-pipeline {name}: {(int)set.StatusCode} {await set.Content.ReadAsStringAsync()}");
            // Reading the environments syncs them into the store, as the promoter's first pass would.
            using var environments = await http.GetAsync($"/api/v1/pipelines/{name}/environments");
            environments.EnsureSuccessStatusCode();
        }

        var first = await LoadAsync(http);
        var tiles = CountOf(first.Html, "data-environment=");
        if (tiles != Pipelines * Environments)
            throw new InvalidOperationException($"the dashboard shows {tiles} environments, not {Pipelines * Environments}");
        for (var i = 0; i < 3; i++)
            await LoadAsync(http);
        var times = new List<double>();
        for (var i = 0; i < Loads; i++)
            times.Add((await LoadAsync(http)).Seconds);
        times.Sort();
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| dashboard, {Pipelines} pipelines x {Environments} environments and 3 jobs | page {Encoding.UTF8.GetByteCount(first.Html) / 1024.0:0} KB | " +
            $"median {times[times.Count / 2] * 1000:0} ms | slowest {times[^1] * 1000:0} ms of {Loads} loads | first load {first.Seconds * 1000:0} ms |"));
        return 0;
    }

    private static async Task<(double Seconds, string Html)> LoadAsync(HttpClient http)
    {
        var clock = Stopwatch.StartNew();
        using var response = await http.GetAsync("/");
        response.EnsureSuccessStatusCode();
        var html = await response.Content.ReadAsStringAsync();
        return (clock.Elapsed.TotalSeconds, html);
    }

    private static int CountOf(string text, string part)
    {
        var count = 0;
        for (var at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + part.Length, StringComparison.Ordinal))
            count++;
        return count;
    }
}
