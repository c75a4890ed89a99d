using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Ferry.Core.Builds;
using Ferry.Storage;

namespace Ferry.Benchmarks.Server;

/// <summary>
/// `dashboard`: a real `ferry server` with 100 pipelines of 5 environments each, every pipeline's release promoted
/// through the four automatic ones (the fifth is manual and holds none), and a history of 10,000 builds: the server
/// is stopped, finished builds are added through the store into its data directory (running them would take hours),
/// and the server is started again on it. Then the pages a release manager opens, loaded one at a time: the dashboard,
/// a pipeline page and its environments page, the job page of the job with most builds, and the builds list (budget:
/// each under 100 ms on the server). The time is the whole request on 127.0.0.1, an upper bound of the server-side render.
/// </summary>
internal static class DashboardFigures
{
    private const int Pipelines = 100;
    private const int Builds = 10_000;
    private const int Loads = 30;

    private static string PipelineYaml(string uri)
    {
        var yaml = new StringBuilder($$"""
            resources:
              - name: app
                type: git
                check_every: 1h
                source: { uri: "{{uri}}", branch: main }
            jobs:
              - name: unit
                plan:
                  - get: app
                    trigger: true
                  - task: unit
                    config: { platform: linux, run: { path: "true" } }
            environments:

            """);
        for (var e = 1; e <= 5; e++)
        {
            var from = e == 1 ? "unit" : $"e{e - 1}";
            var promote = e == 5 ? "manual" : "auto";
            var release = e == 1 ? "release: [app]" : "";
            yaml.Append($$"""
                  - name: e{{e}}
                    from: [{{from}}]
                    promote: {{promote}}
                    {{release}}
                    deploy:
                      - task: deploy
                        config: { platform: linux, run: { path: "true" } }

                """);
        }
        return yaml.ToString();
    }

    public static async Task<int> RunAsync()
    {
        using var repository = await BenchRepository.CreateAsync();
        await repository.CommitAsync();
        await using var first = await ServerProcess.StartAsync();
        Console.WriteLine($"ferry server pid {first.Pid} at {first.Url}; load average at start: {LoadAverage()}");
        var clock = Stopwatch.StartNew();
        using (var setup = Client(first))
        {
            var yaml = PipelineYaml(repository.Uri);
            for (var p = 0; p < Pipelines; p++)
                await SendAsync(setup, HttpMethod.Put, $"/api/v1/pipelines/{Name(p)}/config", new JsonObject { ["config"] = yaml });
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Pipelines} pipelines set in {clock.Elapsed.TotalSeconds:0.0} s"));
            await WaitForPromotionsAsync(setup, clock);
        }
        await first.StopAsync();
        var history = await AddHistoryAsync(first.DataDirectory, clock);
        await using var server = await ServerProcess.StartAsync(first.DataDirectory);
        Console.WriteLine($"ferry server restarted, pid {server.Pid} at {server.Url}");
        using var http = Client(server);

        var figures = new List<(string Page, List<double> Ms, long Bytes)>();
        var pages = new[]
        {
            "/", $"/pipelines/{Name(0)}", $"/pipelines/{Name(0)}/environments", $"/pipelines/{Name(0)}/jobs/unit",
            $"/pipelines/{Name(0)}/jobs/unit?before={history.OldestOnJob}", "/api/v1/builds", $"/api/v1/builds?pipeline={Name(1)}&job=unit",
        };
        foreach (var page in pages)
        {
            for (var warm = 0; warm < 3; warm++)
                await LoadAsync(http, page);
            var times = new List<double>();
            long bytes = 0;
            for (var i = 0; i < Loads; i++)
            {
                var (ms, size) = await LoadAsync(http, page);
                times.Add(ms);
                bytes = size;
            }
            figures.Add((page, times, bytes));
        }

        Console.WriteLine();
        Console.WriteLine($"{Pipelines} pipelines x 5 environments, {history.Total} builds ({history.OnJob} of {Name(0)}/unit), {Loads} loads each after 3 warm-up loads, ms (budget: under 100 ms)");
        Console.WriteLine("| page | KB | median | p90 | max |");
        Console.WriteLine("|------|----|--------|-----|-----|");
        foreach (var (page, ms, bytes) in figures)
        {
            ms.Sort();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| `{page}` | {bytes / 1024.0:0} | {ms[ms.Count / 2]:0.0} | {ms[(int)(ms.Count * 0.9)]:0.0} | {ms[^1]:0.0} |"));
        }
        Console.WriteLine($"load average at end: {LoadAverage()}; server RSS {server.ResidentMegabytes():0} MB");
        return figures.All(f => f.Ms[f.Ms.Count / 2] < 100) ? 0 : 1;
    }

    private static string Name(int p) => $"p{p:000}";

    private static HttpClient Client(ServerProcess server)
    {
        var http = new HttpClient { BaseAddress = new Uri(server.Url), Timeout = TimeSpan.FromMinutes(2) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", server.AdminToken);
        return http;
    }

    /// <param name="Total">Builds in the store.</param>
    /// <param name="OnJob">Builds of p000/unit, the job page with most builds.</param>
    /// <param name="OldestOnJob">The id of an early build of p000/unit: its job page pages back to there.</param>
    private sealed record History(int Total, int OnJob, long OldestOnJob);

    /// <summary>
    /// Adds finished builds through the store into the stopped server's data directory until it holds
    /// <see cref="Builds"/>: half of them to p000/unit, the rest round the other pipelines' unit jobs. Each copies the
    /// plan and inputs of its job's real build, so that the scheduler finds nothing new to run when the server starts.
    /// </summary>
    private static async Task<History> AddHistoryAsync(string dataDirectory, Stopwatch clock)
    {
        await using var store = await StoreFactory.OpenAsync(dataDirectory, null);
        var existing = (await store.ListBuildsAsync(new BuildQuery(Limit: Builds))).Count;
        var templates = new List<NewBuild>();
        for (var p = 0; p < Pipelines; p++)
        {
            var pipeline = (await store.GetPipelineAsync(Name(p)))!;
            var job = (await store.GetJobAsync(pipeline.Id, "unit"))!;
            var real = (await store.ListBuildsAsync(new BuildQuery(pipeline.Id, job.Id, Limit: 1)))[0];
            var inputs = await store.GetBuildInputsAsync(real.Id);
            templates.Add(new NewBuild(pipeline.Id, job.Id, real.PlanJson, [.. inputs.Select(i => new NewBuildInput(i.Name, i.ResourceId, i.VersionId, false))], [])
            {
                ConfigNumber = await store.GetBuildConfigNumberAsync(real.Id),
            });
        }
        var toAdd = Math.Max(0, Builds - existing);
        long oldestOnJob = 0;
        var onJob = 0;
        for (var i = 0; i < toAdd; i++)
        {
            // Even i to p000, odd i round p001..p099.
            var template = i % 2 == 0 ? templates[0] : templates[1 + (i / 2) % (Pipelines - 1)];
            var build = await store.CreateBuildAsync(template);
            var claimed = await store.ClaimNextBuildAsync("bench-history")
                ?? throw new InvalidOperationException($"build {build.Id} was not pending");
            await store.FinishBuildAsync(claimed.Id, i % 10 == 9 ? BuildStatus.Failed : BuildStatus.Succeeded);
            if (template == templates[0])
            {
                onJob++;
                if (onJob == 100)
                    oldestOnJob = build.Id;
            }
        }
        var total = existing + toAdd;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{clock.Elapsed.TotalSeconds,6:0} s: {toAdd} finished builds added through the store, {total} in all"));
        return new History(total, onJob + 1, oldestOnJob);
    }

    /// <summary>Until every pipeline's release is current in e4 (its build and four promotions ran).</summary>
    private static async Task WaitForPromotionsAsync(HttpClient http, Stopwatch clock)
    {
        var deadline = DateTime.UtcNow.AddMinutes(20);
        var done = new HashSet<int>();
        while (done.Count < Pipelines)
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"after 20 minutes only {done.Count} of {Pipelines} pipelines had a release in e4");
            for (var p = 0; p < Pipelines; p++)
            {
                if (done.Contains(p))
                    continue;
                var environments = await SendAsync(http, HttpMethod.Get, $"/api/v1/pipelines/{Name(p)}/environments", null);
                var e4 = environments.AsArray().FirstOrDefault(e => (string?)e!["name"] == "e4");
                if (e4?["current"] is not null)
                    done.Add(p);
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{clock.Elapsed.TotalSeconds,6:0} s: {done.Count} of {Pipelines} pipelines promoted through e4"));
            if (done.Count < Pipelines)
                await Task.Delay(TimeSpan.FromSeconds(5));
        }
    }

    private static async Task<(double Ms, long Bytes)> LoadAsync(HttpClient http, string page)
    {
        var clock = Stopwatch.StartNew();
        using var response = await http.GetAsync(page);
        var body = await response.Content.ReadAsByteArrayAsync();
        var ms = clock.Elapsed.TotalMilliseconds;
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"GET {page}: {(int)response.StatusCode} {Encoding.UTF8.GetString(body)}");
        return (ms, body.Length);
    }

    private static async Task<JsonNode> SendAsync(HttpClient http, HttpMethod method, string path, JsonObject? body)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"{method} {path}: {(int)response.StatusCode} {text}");
        return text.Length == 0 ? new JsonObject() : JsonNode.Parse(text)!;
    }

    private static string LoadAverage() => File.ReadAllText("/proc/loadavg").Trim();
}
