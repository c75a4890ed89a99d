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
        [PromotionStatus.Pending] = [PromotionStatus.AwaitingApproval, PromotionStatus.Deploying, PromotionStatus.Aborted],
        [PromotionStatus.AwaitingApproval] = [PromotionStatus.Approved, PromotionStatus.Rejected, PromotionStatus.Aborted],
        [PromotionStatus.Approved] = [PromotionStatus.Deploying, PromotionStatus.Aborted],
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

/// <summary>A state change a promotion refuses: names the promotion and both states.</summary>
public sealed class PromotionStateException(string message) : InvalidOperationException(message);
