using System.Globalization;
using System.Text.RegularExpressions;

namespace Ferry.Engine.Resources.Time;

/// <summary>Go's duration syntax (<c>1m</c>, <c>1h30m</c>, <c>1.5h</c>, <c>500ms</c>), as Concourse pipelines write intervals.</summary>
internal static partial class GoDuration
{
    [GeneratedRegex(@"(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)", RegexOptions.CultureInvariant)]
    private static partial Regex Part();

    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(text))
            return false;
        var position = 0;
        double ticks = 0;
        foreach (Match m in Part().Matches(text))
        {
            if (m.Index != position)
                return false;
            position += m.Length;
            var value = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            ticks += value * m.Groups[2].Value switch
            {
                "ns" => 0.01,
                "us" or "µs" => TimeSpan.TicksPerMicrosecond,
                "ms" => TimeSpan.TicksPerMillisecond,
                "s" => TimeSpan.TicksPerSecond,
                "m" => TimeSpan.TicksPerMinute,
                _ => TimeSpan.TicksPerHour,
            };
        }

        if (position != text.Length || ticks > TimeSpan.MaxValue.Ticks)
            return false;
        duration = TimeSpan.FromTicks((long)ticks);
        return true;
    }
}
