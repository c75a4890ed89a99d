namespace Ferry.Core.Builds;

public enum BuildStatus
{
    Pending,
    Started,
    Succeeded,
    Failed,
    Errored,
    Aborted,
}

/// <summary>Which status changes a build may make: pending → started → one final status; pending may also end directly (aborted or errored before it started).</summary>
public static class BuildStatusTransitions
{
    public static bool IsFinal(this BuildStatus status) =>
        status is BuildStatus.Succeeded or BuildStatus.Failed or BuildStatus.Errored or BuildStatus.Aborted;

    public static bool CanMove(BuildStatus from, BuildStatus to) => (from, to) switch
    {
        (BuildStatus.Pending, BuildStatus.Started) => true,
        (BuildStatus.Pending, BuildStatus.Aborted or BuildStatus.Errored) => true,
        (BuildStatus.Started, _) => to.IsFinal(),
        _ => false,
    };

    /// <summary>Throws when a build would leave a final status or skip a state.</summary>
    public static void Guard(long buildId, BuildStatus from, BuildStatus to)
    {
        if (!CanMove(from, to))
        {
            throw new InvalidOperationException($"build {buildId}: cannot go from {from.ToString().ToLowerInvariant()} to {to.ToString().ToLowerInvariant()}");
        }
    }
}
