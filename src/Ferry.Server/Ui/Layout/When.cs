using System.Globalization;

namespace Ferry.Server.Ui.Layout;

/// <summary>Times as the UI shows them: UTC, to the second, and how long ago.</summary>
internal static class When
{
    public static string Utc(DateTimeOffset? at) =>
        at is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture) : "";

    public static string Ago(DateTimeOffset? at, DateTimeOffset now)
    {
        if (at is not { } t)
        {
            return "";
        }
        var span = now - t;
        return span.TotalSeconds switch
        {
            < 5 => "just now",
            < 60 => $"{(int)span.TotalSeconds}s ago",
            < 3600 => $"{(int)span.TotalMinutes}m ago",
            < 86400 => $"{(int)span.TotalHours}h ago",
            _ => $"{(int)span.TotalDays}d ago",
        };
    }

    public static string Duration(DateTimeOffset? from, DateTimeOffset? to)
    {
        if (from is not { } start || to is not { } end)
        {
            return "";
        }
        var span = end - start;
        return span.TotalSeconds < 60
            ? $"{span.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)}s"
            : span.TotalHours < 1 ? $"{(int)span.TotalMinutes}m {span.Seconds}s" : $"{(int)span.TotalHours}h {span.Minutes}m";
    }
}
