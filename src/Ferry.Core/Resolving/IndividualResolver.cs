namespace Ferry.Core.Resolving;

/// <summary>An input without passed constraints: pinned, every, or latest.</summary>
internal static class IndividualResolver
{
    public static (long VersionId, bool HasNext, string? Error) Resolve(ResourceVersions versions, InputConfig input, JobBuilds? history, int resourceId)
    {
        if (input.IsPinned)
        {
            var pin = input.Pin ?? new VersionPin("(none)", null);
            return pin.VersionId is { } id && versions.Exists(id)
                ? (id, false, null)
                : (0, false, ResolveErrors.PinnedVersionNotFound(pin.Text));
        }
        if (input.Mode == VersionMode.Every)
        {
            return NextEvery(versions, history, resourceId);
        }
        return versions.Latest() is { } latest ? (latest, false, null) : (0, false, ResolveErrors.LatestVersionNotFound);
    }

    /// <summary>The next enabled version after the highest one the job ever used (not after its last build).</summary>
    private static (long, bool, string?) NextEvery(ResourceVersions versions, JobBuilds? history, int resourceId)
    {
        var used = History.HighestUsedPosition(history, versions, resourceId);
        if (used < 0)
        {
            return versions.Latest() is { } latest ? (latest, false, null) : (0, false, ResolveErrors.VersionNotFound);
        }
        var (next, hasMore) = versions.NextEnabledAfter(used);
        if (next is { } n)
        {
            return (n, hasMore, null);
        }
        return versions.HighestEnabledAtOrBelow(used) is { } same ? (same, false, null) : (0, false, ResolveErrors.VersionNotFound);
    }
}
