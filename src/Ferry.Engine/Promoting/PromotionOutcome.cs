using Ferry.Core.Builds;
using Ferry.Core.Promotion;

namespace Ferry.Engine.Promoting;

/// <summary>How a promotion ends when its build ended; which phase failed is where the promotion stood.</summary>
internal static class PromotionOutcome
{
    /// <returns>Null while the build runs.</returns>
    public static (PromotionStatus Status, string? Reason)? Of(PromotionStatus promotion, BuildStatus build, string? buildReason) => build switch
    {
        BuildStatus.Succeeded => (PromotionStatus.Succeeded, null),
        BuildStatus.Failed => (PromotionStatus.Failed, promotion == PromotionStatus.Verifying ? "verify failed" : "deploy failed"),
        BuildStatus.Errored => (PromotionStatus.Errored, buildReason ?? "the build errored"),
        BuildStatus.Aborted => (PromotionStatus.Aborted, buildReason ?? "the build was aborted"),
        _ => null,
    };
}
