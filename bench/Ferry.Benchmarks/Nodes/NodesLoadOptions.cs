using System.Globalization;

namespace Ferry.Benchmarks.Nodes;

/// <summary>
/// The sizes of a <c>nodes-load</c> run, from its arguments: how many servers, pipelines and builds, how fast the
/// builds are triggered, how long each build's task sleeps, how long to wait for the builds to end, and how long the
/// nodes are watched idle (the pipelines set, nothing running) before the triggers.
/// </summary>
internal sealed record NodesLoadOptions(int Nodes, int Pipelines, int Builds, double Rate, int SleepMs, int TimeoutSeconds, int IdleSeconds)
{
    public const string Usage =
        "usage: nodes-load [--nodes N (2)] [--pipelines N (100)] [--builds N (1000)] [--rate BUILDS_PER_S (8; 0: all at once)] " +
        "[--sleep-ms MS (100)] [--timeout S (300)] [--idle S (15; 0: none)]";

    public static NodesLoadOptions Parse(IReadOnlyList<string> args)
    {
        var options = new NodesLoadOptions(2, 100, 1000, 8, 100, 300, 15);
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (i + 1 >= args.Count)
                throw new ArgumentException($"{name} needs a value");
            var value = args[++i];
            options = name switch
            {
                "--nodes" => options with { Nodes = Whole(name, value, 1) },
                "--pipelines" => options with { Pipelines = Whole(name, value, 1) },
                "--builds" => options with { Builds = Whole(name, value, 1) },
                "--rate" => options with { Rate = Number(name, value) },
                "--sleep-ms" => options with { SleepMs = Whole(name, value, 0) },
                "--timeout" => options with { TimeoutSeconds = Whole(name, value, 1) },
                "--idle" => options with { IdleSeconds = Whole(name, value, 0) },
                _ => throw new ArgumentException($"unknown option {name}"),
            };
        }
        return options;
    }

    private static int Whole(string name, string value, int least) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= least
            ? n
            : throw new ArgumentException($"{name} takes a whole number of at least {least}, not '{value}'");

    private static double Number(string name, string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n >= 0 && double.IsFinite(n)
            ? n
            : throw new ArgumentException($"{name} takes a number of at least 0, not '{value}'");
}
