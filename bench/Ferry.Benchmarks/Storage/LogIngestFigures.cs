using System.Diagnostics;
using System.Globalization;
using Ferry.Benchmarks.Budgets;

namespace Ferry.Benchmarks.Storage;

/// <summary>
/// `log-ingest`: <see cref="LogIngestBenchmarks"/>'s buffered-sink case (as the runner writes a task's output), 16 MB in
/// 8 KB events, into SQLite and PostgreSQL side by side: a warm-up, then the median of <see cref="Rounds"/> (budget 50 MB/s).
/// </summary>
internal static class LogIngestFigures
{
    private const int Rounds = 5;

    public static async Task<int> RunAsync()
    {
        using var postgres = LocalPostgres.Start();
        var previous = Environment.GetEnvironmentVariable("FERRY_TEST_POSTGRES");
        Environment.SetEnvironmentVariable("FERRY_TEST_POSTGRES", postgres.Connection);
        try
        {
            foreach (var store in new[] { "sqlite", "postgres" })
            {
                var bench = new LogIngestBenchmarks { Store = store, EventBytes = 8192 };
                bench.Setup();
                try
                {
                    await bench.Sink16MB();
                    var rates = new List<double>();
                    for (var i = 0; i < Rounds; i++)
                    {
                        var clock = Stopwatch.StartNew();
                        await bench.Sink16MB();
                        rates.Add(LogIngestBenchmarks.TotalBytes / 1024.0 / 1024.0 / clock.Elapsed.TotalSeconds);
                    }
                    var median = rates.Order().ElementAt(rates.Count / 2);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{store}: 16 MB in 8 KB events through the buffered sink, {string.Join(", ", rates.Select(r => r.ToString("0.0", CultureInfo.InvariantCulture)))} MB/s"));
                    BudgetFigures.AtLeast("Log ingest", $"{store}: 16 MB of task output in 8 KB events (median of {Rounds})", median, "MB/s", 50);
                }
                finally
                {
                    bench.Cleanup();
                }
            }
        }
        finally
        {
            Environment.SetEnvironmentVariable("FERRY_TEST_POSTGRES", previous);
        }
        return 0;
    }
}
