using Ferry.Core.Validation;

namespace Ferry.Engine.Checking;

/// <summary>When to check a resource next: its <c>check_every</c>, and back-off after failed checks.</summary>
internal static class CheckInterval
{
    public static readonly TimeSpan Default = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan MinimumBackOff = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan MaximumBackOff = TimeSpan.FromMinutes(10);

    /// <summary>A time so far ahead that only a webhook or <c>ferry check</c> brings the check back (<c>check_every: never</c>).</summary>
    public static readonly DateTimeOffset Never = new(9999, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Null for <c>never</c>.</summary>
    public static TimeSpan? Every(string? checkEvery)
    {
        if (string.IsNullOrWhiteSpace(checkEvery))
            return Default;
        if (checkEvery.Trim() == "never")
            return null;
        return GoDuration.TryParse(checkEvery.Trim(), out var every) && every > TimeSpan.Zero ? every : Default;
    }

    /// <summary>
    /// After a failure: a retryable one backs off, doubling the last wait (5 s, 10 s, 20 s … 10 min) but never
    /// waiting longer than a plain interval would; a terminal one (bad config) waits the full interval, since
    /// only a config change, a webhook or <c>ferry check</c> can help.
    /// </summary>
    public static DateTimeOffset AfterFailure(DateTimeOffset now, bool retryable, TimeSpan? every, DateTimeOffset? lastChecked,
        DateTimeOffset? lastNext, bool failedBefore)
    {
        var interval = every ?? MaximumBackOff;
        if (!retryable)
            return now + Max(interval, MaximumBackOff);
        var previous = failedBefore && lastChecked is { } checkedAt && lastNext is { } next && next > checkedAt ? next - checkedAt : TimeSpan.Zero;
        var wait = previous <= TimeSpan.Zero ? MinimumBackOff : previous * 2;
        if (wait > MaximumBackOff)
            wait = MaximumBackOff;
        return now + wait;
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
