using System.Globalization;
using System.Text.Json.Nodes;
using Ferry.Core.Validation;

namespace Ferry.Engine.Resources.Time;

/// <summary>The time type's source: interval, start/stop (a daily window), location, days, initial_version.</summary>
internal sealed record TimeSource(TimeSpan? Interval, TimeOnly? Start, TimeOnly? Stop, TimeZoneInfo Location, IReadOnlySet<DayOfWeek> Days, bool InitialVersion)
{
    public static readonly ConfigSchema Schema = new(
    [
        new ConfigField("interval", FieldKind.String),
        new ConfigField("start", FieldKind.String),
        new ConfigField("stop", FieldKind.String),
        new ConfigField("location", FieldKind.String),
        new ConfigField("days", FieldKind.StringList),
        new ConfigField("initial_version", FieldKind.Boolean),
    ]);

    private static readonly string[] TimeFormats = ["h:mm tt", "h:mmtt", "h tt", "htt", "H:mm", "HH:mm", "HHmm"];

    public static TimeSource Parse(JsonObject source)
    {
        Schema.Enforce(source, "source");
        var read = new ConfigReader(source, "source");
        TimeSpan? interval = null;
        if (read.String("interval") is { } text)
        {
            if (!GoDuration.TryParse(text, out var parsed) || parsed <= TimeSpan.Zero)
                throw new ResourceConfigException($"source.interval: '{text}' is not a positive duration such as 1m, 1h30m or 90s");
            interval = parsed;
        }

        var start = Clock(read, "start");
        var stop = Clock(read, "stop");
        if ((start is null) != (stop is null))
            throw new ResourceConfigException($"source.{(start is null ? "start" : "stop")}: required when source.{(start is null ? "stop" : "start")} is set");
        var days = read.StringList("days").Select((d, i) => Enum.TryParse<DayOfWeek>(d, ignoreCase: true, out var day) && !int.TryParse(d, out _)
            ? day
            : throw new ResourceConfigException($"source.days[{i}]: '{d}' is not a day (Monday … Sunday)")).ToHashSet();
        if (interval is null && start is null && days.Count == 0)
            throw new ResourceConfigException("source.interval: required unless source.start/stop or source.days is set");
        return new TimeSource(interval, start, stop, ReadLocation(read), days, read.Boolean("initial_version"));
    }

    private static TimeOnly? Clock(ConfigReader read, string name)
    {
        if (read.String(name) is not { } text)
            return null;
        var normalized = text.Trim().ToUpperInvariant();
        if (DateTime.TryParseExact(normalized, TimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
            return TimeOnly.FromDateTime(parsed);
        throw new ResourceConfigException($"source.{name}: '{text}' is not a time of day such as 8:00 AM or 17:00");
    }

    private static TimeZoneInfo ReadLocation(ConfigReader read)
    {
        if (read.String("location") is not { } name)
            return TimeZoneInfo.Utc;
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(name);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw new ResourceConfigException($"source.location: '{name}' is not a known time zone (IANA names such as Europe/Amsterdam)");
        }
    }
}
