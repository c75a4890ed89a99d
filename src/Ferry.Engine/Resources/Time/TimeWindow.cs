namespace Ferry.Engine.Resources.Time;

/// <summary>When the time type is due for a new version (the rules of Concourse's time resource).</summary>
internal static class TimeWindow
{
    /// <summary>
    /// Due when now is inside the window (start/stop on one of the days) and there is no previous version, or the
    /// interval has passed since it, or (without an interval) it came before the current window opened.
    /// </summary>
    public static bool IsDue(TimeSource source, DateTimeOffset now, DateTimeOffset? previous)
    {
        if (WindowStart(source, now) is not { } opened)
            return false;
        if (previous is not { } last)
            return true;
        if (last > now)
            return false;
        if (source.Interval is { } interval)
            return now - last >= interval || (source.Start is not null && last < opened);
        return last < opened;
    }

    /// <summary>When the window holding <paramref name="now"/> opened, or null when now is outside every window.</summary>
    public static DateTimeOffset? WindowStart(TimeSource source, DateTimeOffset now)
    {
        var local = TimeZoneInfo.ConvertTime(now, source.Location);
        var today = DateOnly.FromDateTime(local.DateTime);
        DateTime opened;
        if (source.Start is { } start && source.Stop is { } stop)
        {
            var time = TimeOnly.FromDateTime(local.DateTime);
            if (start < stop)
            {
                if (time < start || time >= stop)
                    return null;
                opened = today.ToDateTime(start);
            }
            else if (time >= start)
            {
                opened = today.ToDateTime(start);
            }
            else if (time < stop)
            {
                // An overnight window (22:00–02:00) belongs to the day it opened.
                opened = today.AddDays(-1).ToDateTime(start);
            }
            else
            {
                return null;
            }
        }
        else if (source.Days.Count > 0 || source.Interval is null)
        {
            opened = today.ToDateTime(TimeOnly.MinValue);
        }
        else
        {
            return DateTimeOffset.MinValue;
        }

        if (source.Days.Count > 0 && !source.Days.Contains(opened.DayOfWeek))
            return null;
        return new DateTimeOffset(opened, source.Location.GetUtcOffset(opened));
    }
}
