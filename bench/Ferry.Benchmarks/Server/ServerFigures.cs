using System.Globalization;
using Ferry.Benchmarks.Budgets;

namespace Ferry.Benchmarks.Server;

/// <summary>
/// `server-figures`: measurements of a real `ferry server` process that BenchmarkDotNet does not fit
/// (DESIGN.md "Performance budgets"): webhook -> build started, and idle resident memory.
/// </summary>
internal static class ServerFigures
{
    private const int Rounds = 20;
    private const string Token = "bench-token";
    private static readonly TimeSpan Idle = TimeSpan.FromSeconds(15);

    private static string Pipeline(string uri) => $$"""
        resources:
          - name: app
            type: git
            check_every: never
            webhook_token: {{Token}}
            source: { uri: "{{uri}}", branch: main }
        jobs:
          - name: unit
            plan:
              - get: app
                trigger: true
              - task: test
                config:
                  platform: linux
                  inputs: [{ name: app }]
                  run: { path: cat, args: [app/NOTES.md] }
        """;

    public static async Task<int> RunAsync()
    {
        using var repo = await BenchRepository.CreateAsync();
        await repo.CommitAsync();
        await using var server = await ServerProcess.StartAsync();
        Console.WriteLine($"ferry server pid {server.Pid} at {server.Url}");
        var file = Path.Combine(server.DataDirectory, "bench.yml");
        await File.WriteAllTextAsync(file, Pipeline(repo.Uri));
        await Commands.FerryAsync(server, "set-pipeline", "-p", "bench", "-c", file, "--yes");

        Console.WriteLine($"idle {Idle.TotalSeconds:0} s with one pipeline set...");
        await Task.Delay(Idle);
        var idleRss = server.ResidentMegabytes();

        var reaction = new Reaction(server, repo, "bench", "unit", "app", Token);
        var warmUp = await reaction.RoundAsync();
        Console.WriteLine($"warm-up round (first clone of the resource): {warmUp.ObservedMs:0} ms");
        var rounds = new List<ReactionRound>();
        for (var i = 0; i < Rounds; i++)
        {
            var round = await reaction.RoundAsync();
            rounds.Add(round);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"round {i + 1,2}: started seen after {round.ObservedMs,6:0.0} ms (pending at {round.ToPendingMs,6:0.0}, startedAt {round.ToStartedMs,6:0.0})"));
        }
        var afterRss = server.ResidentMegabytes();
        var git = await GitCheckCost.MeasureAsync(repo, Rounds);

        PrintTable(rounds, git, idleRss, afterRss);
        var observed = rounds.Select(r => r.ObservedMs).Order().ToList();
        BudgetFigures.AtMost("Reaction", $"webhook -> build seen started, median of {Rounds}", Percentile(observed, 0.5), "ms", 100);
        BudgetFigures.AtMost("Idle server", $"resident after {Idle.TotalSeconds:0} s with one pipeline", idleRss, "MB", 150);
        return 0;
    }

    private static void PrintTable(List<ReactionRound> rounds, List<(double CheckMs, double FetchMs, double UnchangedMs)> git, double idleRss, double afterRss)
    {
        static string Row(string what, IEnumerable<double> values)
        {
            var sorted = values.Order().ToList();
            return string.Create(CultureInfo.InvariantCulture,
                $"| {what,-44} | {Percentile(sorted, 0.5),8:0.0} | {Percentile(sorted, 0.9),8:0.0} | {sorted[^1],8:0.0} |");
        }
        Console.WriteLine();
        Console.WriteLine($"Reaction over {rounds.Count} rounds, ms (budget: started within 100 ms)");
        Console.WriteLine($"| {"measure",-44} | {"median",8} | {"p90",8} | {"max",8} |");
        Console.WriteLine($"|{new string('-', 46)}|{new string('-', 10)}|{new string('-', 10)}|{new string('-', 10)}|");
        Console.WriteLine(Row("webhook -> build seen started (5 ms poll)", rounds.Select(r => r.ObservedMs)));
        Console.WriteLine(Row("webhook -> build createdAt (pending)", rounds.Select(r => r.ToPendingMs)));
        Console.WriteLine(Row("webhook -> build startedAt", rounds.Select(r => r.ToStartedMs)));
        Console.WriteLine(Row("build createdAt -> startedAt (runner claim)", rounds.Select(r => r.ToStartedMs - r.ToPendingMs)));
        Console.WriteLine(Row("git check alone, in process (5 git runs)", git.Select(g => g.CheckMs)));
        Console.WriteLine(Row("one `git fetch` alone", git.Select(g => g.FetchMs)));
        Console.WriteLine(Row("git check with nothing new (1 ls-remote)", git.Select(g => g.UnchangedMs)));
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Idle RSS after {Idle.TotalSeconds:0} s with one pipeline: {idleRss:0.0} MB (budget: under 150 MB); after the rounds: {afterRss:0.0} MB"));
    }

    /// <summary>Nearest-rank percentile of sorted values.</summary>
    private static double Percentile(List<double> sorted, double p) =>
        sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
}
