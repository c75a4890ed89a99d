namespace Ferry.Core.Validation;

/// <summary>
/// Go's <c>time.ParseDuration</c> (<c>0</c>, <c>1h30m</c>, <c>500ms</c>, <c>1.5h</c>, <c>-1s</c>), which Concourse uses for
/// timeouts and intervals. A port of Go's algorithm, so Ferry accepts and refuses exactly what Concourse does: a
/// bare number other than 0 is refused (no unit), as are spaces, unknown units and durations beyond Go's ~292 years.
/// </summary>
public static class GoDuration
{
    private const ulong MaxNanoseconds = 1UL << 63;

    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        var s = text.AsSpan();
        var negative = false;
        if (s.Length > 0 && s[0] is '-' or '+')
        {
            negative = s[0] == '-';
            s = s[1..];
        }
        if (s is "0")
        {
            return true;
        }
        if (s.IsEmpty)
        {
            return false;
        }
        ulong total = 0;
        while (!s.IsEmpty)
        {
            if (!TryReadPart(ref s, out var nanoseconds) || nanoseconds > MaxNanoseconds - total)
            {
                return false;
            }
            total += nanoseconds;
        }
        if (!negative && total > MaxNanoseconds - 1)
        {
            return false;
        }
        // TimeSpan counts 100 ns ticks: finer parts are cut off, as converting a Go duration to ticks would.
        var ticks = (long)(total / 100);
        duration = TimeSpan.FromTicks(negative ? -ticks : ticks);
        return true;
    }

    /// <summary>One <c>[0-9]*(\.[0-9]*)?unit</c> from the start of <paramref name="s"/>, in nanoseconds.</summary>
    private static bool TryReadPart(ref ReadOnlySpan<char> s, out ulong nanoseconds)
    {
        nanoseconds = 0;
        if (!(s[0] == '.' || char.IsAsciiDigit(s[0])))
        {
            return false;
        }
        var digits = LeadingDigits(s);
        if (!TryParseInteger(s[..digits], out var whole))
        {
            return false;
        }
        s = s[digits..];
        var fraction = ReadOnlySpan<char>.Empty;
        if (!s.IsEmpty && s[0] == '.')
        {
            s = s[1..];
            fraction = s[..LeadingDigits(s)];
            s = s[fraction.Length..];
        }
        if (digits == 0 && fraction.IsEmpty)
        {
            return false;
        }
        var unitLength = s.IndexOfAny("0123456789.");
        var unitText = unitLength < 0 ? s : s[..unitLength];
        if (unitText.IsEmpty || Unit(unitText) is not { } unit || whole > MaxNanoseconds / unit)
        {
            return false;
        }
        s = s[unitText.Length..];
        nanoseconds = whole * unit;
        if (!fraction.IsEmpty)
        {
            nanoseconds += Fraction(fraction, unit);
            if (nanoseconds > MaxNanoseconds)
            {
                return false;
            }
        }
        return true;
    }

    private static int LeadingDigits(ReadOnlySpan<char> s)
    {
        var count = 0;
        while (count < s.Length && char.IsAsciiDigit(s[count]))
        {
            count++;
        }
        return count;
    }

    private static bool TryParseInteger(ReadOnlySpan<char> digits, out ulong value)
    {
        value = 0;
        foreach (var digit in digits)
        {
            if (value > MaxNanoseconds / 10)
            {
                return false;
            }
            value = value * 10 + (ulong)(digit - '0');
            if (value > MaxNanoseconds)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Go keeps the digits a 63-bit integer holds and scales them by the unit in floating point.</summary>
    private static ulong Fraction(ReadOnlySpan<char> digits, ulong unit)
    {
        ulong value = 0;
        double scale = 1;
        var overflow = false;
        foreach (var digit in digits)
        {
            if (overflow || value > (MaxNanoseconds - 1) / 10)
            {
                overflow = true;
                continue;
            }
            var next = value * 10 + (ulong)(digit - '0');
            if (next > MaxNanoseconds)
            {
                overflow = true;
                continue;
            }
            value = next;
            scale *= 10;
        }
        return (ulong)(value * (unit / scale));
    }

    private static ulong? Unit(ReadOnlySpan<char> unit) => unit switch
    {
        "ns" => 1,
        "us" or "µs" or "μs" => 1_000,
        "ms" => 1_000_000,
        "s" => 1_000_000_000,
        "m" => 60_000_000_000,
        "h" => 3_600_000_000_000,
        _ => null,
    };
}
