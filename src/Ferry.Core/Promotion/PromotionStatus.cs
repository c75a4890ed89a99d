namespace Ferry.Core.Promotion;

public enum PromotionStatus
{
    Pending,
    AwaitingApproval,
    Approved,
    Rejected,
    Deploying,
    Verifying,
    Succeeded,
    Failed,
    Errored,
    Aborted,
}

/// <summary>How a promotion came about: the promoter loop, a person (CLI, API, UI), or a rollback.</summary>
public enum PromotionTrigger
{
    Auto,
    Manual,
    Rollback,
}

/// <summary>The states a promotion may move between, and their names in the API and the store (snake_case).</summary>
public static class PromotionStates
{
    private static readonly Dictionary<PromotionStatus, PromotionStatus[]> Next = new()
    {
        // Errored before deploying: its plan could not be compiled.
        [PromotionStatus.Pending] = [PromotionStatus.Deploying, PromotionStatus.Errored, PromotionStatus.Aborted],
        [PromotionStatus.AwaitingApproval] = [PromotionStatus.Approved, PromotionStatus.Rejected, PromotionStatus.Aborted],
        [PromotionStatus.Approved] = [PromotionStatus.Deploying, PromotionStatus.Errored, PromotionStatus.Aborted],
        [PromotionStatus.Deploying] = [PromotionStatus.Verifying, PromotionStatus.Failed, PromotionStatus.Errored, PromotionStatus.Aborted],
        [PromotionStatus.Verifying] = [PromotionStatus.Succeeded, PromotionStatus.Failed, PromotionStatus.Errored, PromotionStatus.Aborted],
    };

    public static bool CanMove(PromotionStatus from, PromotionStatus to) => Next.TryGetValue(from, out var next) && next.Contains(to);

    public static bool IsFinished(PromotionStatus status) => !Next.ContainsKey(status);

    /// <summary>Holds the environment: no other promotion into it starts while one of these is open.</summary>
    public static bool IsInFlight(PromotionStatus status) => status is PromotionStatus.Deploying or PromotionStatus.Verifying;

    public static string ToText(this PromotionStatus status) => status switch
    {
        PromotionStatus.AwaitingApproval => "awaiting_approval",
        _ => status.ToString().ToLowerInvariant(),
    };

    public static string ToText(this PromotionTrigger trigger) => trigger.ToString().ToLowerInvariant();

    public static PromotionStatus ParseStatus(string text)
    {
        foreach (var status in Enum.GetValues<PromotionStatus>())
        {
            if (status.ToText() == text)
            {
                return status;
            }
        }
        throw new FormatException($"unknown promotion status '{text}'");
    }

    public static PromotionTrigger ParseTrigger(string text) =>
        Enum.TryParse<PromotionTrigger>(text, ignoreCase: true, out var t) && Enum.IsDefined(t)
            ? t
            : throw new FormatException($"unknown promotion trigger '{text}'");
}

/// <summary>
/// A state change a promotion refuses: names the promotion and both states. Ferry's own code asked for a move the
/// state machine forbids, so it is a bug (a 500, logged), not a person's refusal.
/// </summary>
public sealed class PromotionStateException(string message) : Exception(message);

/// <summary>The phases a promotion's build announces in <see cref="Builds.BuildEventType.Phase"/> events.</summary>
public static class PromotionPhases
{
    /// <summary>Deploy succeeded; the verify steps run now.</summary>
    public const string Verify = "verify";
}
