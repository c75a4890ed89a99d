namespace Ferry.Core.Resolving;

/// <summary>Questions about the current job's own earlier builds.</summary>
internal static class History
{
    /// <summary>Position (in check order) of the highest version of the resource any build of the job used, or -1.</summary>
    public static int HighestUsedPosition(JobBuilds? history, ResourceVersions versions, int resourceId) =>
        HighestUse(history, versions, resourceId).Position;

    /// <summary>The newest build of the job that used the highest version of the resource it ever used.</summary>
    public static long? LatestBuildUsingHighestVersion(JobBuilds? history, ResourceVersions versions, int resourceId) =>
        HighestUse(history, versions, resourceId).BuildId;

    /// <summary>True when no build of the job used <paramref name="versionId"/> as the input named <paramref name="inputName"/>.</summary>
    public static bool IsFirstOccurrence(JobBuilds? history, string inputName, int resourceId, long versionId)
    {
        if (history is null)
        {
            return true;
        }
        foreach (var input in history.Inputs)
        {
            if (input.VersionId == versionId && input.ResourceId == resourceId && input.InputName == inputName)
            {
                return false;
            }
        }
        return true;
    }

    private static (int Position, long? BuildId) HighestUse(JobBuilds? history, ResourceVersions versions, int resourceId)
    {
        var best = (Position: -1, BuildId: (long?)null);
        if (history is null)
        {
            return best;
        }
        foreach (var input in history.Inputs)
        {
            if (input.ResourceId != resourceId)
            {
                continue;
            }
            var position = versions.PositionOf(input.VersionId);
            if (position > best.Position || (position == best.Position && position >= 0 && input.BuildId > best.BuildId))
            {
                best = (position, input.BuildId);
            }
        }
        return best;
    }
}
