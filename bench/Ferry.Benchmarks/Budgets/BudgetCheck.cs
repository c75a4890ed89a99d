using System.Globalization;

namespace Ferry.Benchmarks.Budgets;

/// <summary>
/// `check`: the regression check of bench/README.md. Runs the figure modes one after another (all of them, or those
/// named), and prints every budgeted figure against its budget with the date and the machine's load. Exits 1 when a
/// figure is over its budget or a mode failed (a missing tool fails it too: the check never counts what it did not
/// measure). It is not a timed test: it measures, and a reviewer reads the load beside each figure.
/// </summary>
internal static class BudgetCheck
{
    public static async Task<int> RunAsync(IReadOnlyList<string> names, IReadOnlyDictionary<string, Func<Task<int>>> modes)
    {
        var unknown = names.Where(n => !modes.ContainsKey(n)).ToList();
        if (unknown.Count > 0)
        {
            Console.Error.WriteLine($"check: no figure mode named {string.Join(", ", unknown)}; the modes are {string.Join(", ", modes.Keys)}");
            return 2;
        }
        var chosen = names.Count > 0 ? names : modes.Keys.ToList();
        var started = DateTime.UtcNow;
        var rows = new List<(string Mode, BudgetFigure Figure, double Load)>();
        var failures = new List<string>();
        foreach (var mode in chosen)
        {
            Console.WriteLine($"=== {mode} (load average {LoadAverage():0.0}) ===");
            var from = BudgetFigures.Count;
            try
            {
                var code = await modes[mode]();
                if (code != 0)
                    failures.Add($"{mode}: exited {code}");
            }
            catch (Exception e)
            {
                failures.Add($"{mode}: {e.GetType().Name}: {e.Message}");
            }
            var load = LoadAverage();
            var figures = BudgetFigures.Since(from);
            if (figures.Count == 0 && failures.All(f => !f.StartsWith(mode + ":", StringComparison.Ordinal)))
                failures.Add($"{mode}: reported no figure");
            rows.AddRange(figures.Select(f => (mode, f, load)));
        }
        Print(started, rows, failures);
        return failures.Count == 0 && rows.All(r => r.Figure.Met) ? 0 : 1;
    }

    private static void Print(DateTime started, List<(string Mode, BudgetFigure Figure, double Load)> rows, List<string> failures)
    {
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Budget check {started:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, {(DateTime.UtcNow - started).TotalMinutes:0.0} min"));
        Console.WriteLine();
        Console.WriteLine("| budget | measure | measured | budget | load (1 min) | |");
        Console.WriteLine("|---|---|---:|---|---:|---|");
        foreach (var (_, f, load) in rows)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {f.Budget} | {f.Measure} | {f.Shown} | {f.LimitShown} | {load:0.0} | {(f.Met ? "met" : "**over**")} |"));
        }
        Console.WriteLine();
        foreach (var failure in failures)
            Console.WriteLine($"failed: {failure}");
        Console.WriteLine($"{rows.Count(r => r.Figure.Met)} of {rows.Count} figures within budget, {failures.Count} modes failed");
    }

    /// <summary>The one-minute load average (/proc/loadavg), or NaN where there is none.</summary>
    public static double LoadAverage()
    {
        try
        {
            var text = File.ReadAllText("/proc/loadavg");
            return double.Parse(text.Split(' ')[0], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return double.NaN;
        }
    }
}
