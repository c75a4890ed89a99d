using System.Diagnostics;
using System.Globalization;
using Ferry.Core.Builds;
using Ferry.Core.Plans;
using Ferry.Engine.Processes;
using Ferry.Engine.Running;

namespace Ferry.Benchmarks.Running;

/// <summary>
/// `runner-figures` (DESIGN.md "Performance budgets": a job of 20 trivial tasks costs at most 1.5x a shell script
/// running the same 20 commands): the job through <see cref="BuildRunner"/> against the script, and the layers in
/// between, so the per-task overhead can be told apart: 20 bare .NET process starts of <c>true</c> (without and with
/// pipes, and through the setsid + setpriv wrappers tasks were started with before), 20 runs through
/// <see cref="ProcessRunner"/> (own session and group, watched, pipes read), then the whole job (plan walking,
/// the task's directory, its events). All alternated round by round in one run, so load falls on each alike.
/// </summary>
internal static class RunnerFigures
{
    private const int Tasks = 20;

    public static async Task<int> RunAsync(string[] args)
    {
        var rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 30;
        var root = Directory.CreateTempSubdirectory("ferry-bench-runner-").FullName;
        try
        {
            var plan = new DoPlan
            {
                Id = "do",
                Steps = [.. Enumerable.Range(0, Tasks).Select(i => new TaskPlan { Id = $"t{i}", Name = $"t{i}", Config = new TaskPlanConfig { Run = new TaskPlanRun { Path = "true" } } })],
            };
            // As a server runs them: its processes recorded for the next start (ProcessGroupRecord).
            var processes = new ProcessRunner(Path.Combine(root, "processes"));
            var runner = new BuildRunner(new RunnerOptions { Processes = processes });
            var build = 0;
            var measures = new (string Name, Func<Task> Run)[]
            {
                ("shell script: 20 x true (baseline)", () => { ShellScript(); return Task.CompletedTask; }),
                ("20 x Process.Start(true), no pipes", () => { Starts("/usr/bin/true", [], false); return Task.CompletedTask; }),
                ("20 x Process.Start(true), pipes", () => { Starts("/usr/bin/true", [], true); return Task.CompletedTask; }),
                ("20 x Process.Start(setsid setpriv --pdeathsig true), pipes: the wrappers before 2026-12-05", () => { Starts("/usr/bin/setsid", ["--", "/usr/bin/setpriv", "--pdeathsig", "KILL", "--", "/usr/bin/true"], true); return Task.CompletedTask; }),
                ("20 x ProcessRunner.RunAsync(true)", () => ProcessRunnerAsync(processes, root)),
                ("BuildRunner: a job of 20 tasks (true)", async () =>
                {
                    var result = await runner.RunAsync(new BuildRequest(++build, plan, Path.Combine(root, $"b{build}"), _ => null, new NullSink()), CancellationToken.None);
                    if (result.Status != BuildStatus.Succeeded)
                        throw new InvalidOperationException($"the benchmark's build ended {result.Status}");
                }),
            };
            var times = measures.Select(_ => new List<double>()).ToArray();
            // A server records a build's end before it removes the build's directories (RunnerLoop.FinishAsync): the
            // removal is timed on its own line, not in the job's time.
            var removals = new List<double>();
            for (var round = 0; round <= rounds; round++)
            {
                // Turn the order each round so no measure always follows the same one.
                for (var k = 0; k < measures.Length; k++)
                {
                    var i = (k + round) % measures.Length;
                    var clock = Stopwatch.StartNew();
                    await measures[i].Run();
                    if (round > 0) // round 0 warms up: JIT, the forker thread
                        times[i].Add(clock.Elapsed.TotalMilliseconds);
                    if (i == measures.Length - 1)
                    {
                        clock.Restart();
                        Directory.Delete(Path.Combine(root, $"b{build}"), recursive: true);
                        if (round > 0)
                            removals.Add(clock.Elapsed.TotalMilliseconds);
                    }
                }
            }

            var baseline = Median(times[0]);
            // Each round's measures ran back to back, under the same load: the median of the rounds' own ratios moves
            // less with the machine's load than the ratio of the two medians.
            List<double> Paired(int i) => [.. times[i].Select((t, round) => t / times[0][round])];
            Console.WriteLine(Invariant($"| measure ({rounds} rounds) | median ms | p90 ms | per task ms | / baseline | / baseline, median of the rounds' ratios |"));
            Console.WriteLine("|---|---|---|---|---|---|");
            for (var i = 0; i < measures.Length; i++)
            {
                var median = Median(times[i]);
                Console.WriteLine(Invariant($"| {measures[i].Name} | {median:0.0} | {Percentile(times[i], 0.9):0.0} | {median / Tasks:0.00} | {median / baseline:0.00}x | {Median(Paired(i)):0.00}x |"));
            }
            Console.WriteLine(Invariant($"| removing that job's work root after it ended (not in its time) | {Median(removals):0.0} | {Percentile(removals, 0.9):0.0} | {Median(removals) / Tasks:0.00} | | |"));
            Ferry.Benchmarks.Budgets.BudgetFigures.AtMost("Orchestration", Invariant($"a job of {Tasks} trivial tasks / a shell script of them (median of {rounds} rounds' ratios)"),
                Median(Paired(measures.Length - 1)), "x", 1.5);
            return 0;
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static void ShellScript()
    {
        using var process = Process.Start(new ProcessStartInfo("sh", ["-c", string.Join("; ", Enumerable.Repeat("/usr/bin/true", Tasks))]))!;
        process.WaitForExit();
    }

    private static void Starts(string file, string[] args, bool pipes)
    {
        for (var i = 0; i < Tasks; i++)
        {
            var info = new ProcessStartInfo(file, args) { RedirectStandardInput = pipes, RedirectStandardOutput = pipes, RedirectStandardError = pipes };
            using var process = Process.Start(info)!;
            if (pipes)
            {
                process.StandardInput.Close();
                process.StandardOutput.ReadToEnd();
                process.StandardError.ReadToEnd();
            }
            process.WaitForExit();
        }
    }

    private static async Task ProcessRunnerAsync(ProcessRunner processes, string root)
    {
        var environment = new Dictionary<string, string> { ["PATH"] = "/usr/bin:/bin" };
        var output = new ProcessOutput(Drain, Drain);
        for (var i = 0; i < Tasks; i++)
        {
            var status = await processes.RunAsync(new ProcessSpec("true", [], root, environment), output, CancellationToken.None);
            if (status != 0)
                throw new InvalidOperationException($"true exited {status}");
        }
    }

    private static async Task Drain(Stream stream)
    {
        var buffer = new byte[4096];
        while (await stream.ReadAsync(buffer) > 0)
        {
        }
    }

    private static double Median(List<double> values) => Percentile(values, 0.5);

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private sealed class NullSink : IBuildEventSink
    {
        public ValueTask WriteAsync(BuildEvent buildEvent) => ValueTask.CompletedTask;
    }
}
