using System.Globalization;
using System.Text.RegularExpressions;

namespace Ferry.Core.Validation;

/// <summary>Go's <c>time.ParseDuration</c> syntax (<c>1h30m</c>, <c>500ms</c>), which Concourse uses for timeouts and intervals.</summary>
public static partial class GoDuration
{
    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (text is "0" or "+0" or "-0")
        {
            return true;
        }
        var match = Pattern().Match(text);
        if (!match.Success)
        {
            return false;
        }
        double ticks = 0;
        foreach (Capture part in match.Groups["part"].Captures)
        {
            var unitStart = part.Value.IndexOfAny("nuµμmsh".ToCharArray());
            if (!double.TryParse(part.Value[..unitStart], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
            {
                return false;
            }
            ticks += number * part.Value[unitStart..] switch
            {
                "ns" => 0.01,
                "us" or "µs" or "μs" => 10,
                "ms" => TimeSpan.TicksPerMillisecond,
                "s" => TimeSpan.TicksPerSecond,
                "m" => TimeSpan.TicksPerMinute,
                _ => TimeSpan.TicksPerHour,
            };
        }
        if (ticks > TimeSpan.MaxValue.Ticks)
        {
            return false;
        }
        duration = TimeSpan.FromTicks((long)(match.Groups["sign"].Value == "-" ? -ticks : ticks));
        return true;
    }

    [GeneratedRegex(@"^(?<sign>[-+]?)(?<part>([0-9]+(\.[0-9]*)?|\.[0-9]+)(ns|us|µs|μs|ms|s|m|h))+$")]
    private static partial Regex Pattern();
}
