using Ferry.Core.Promotion;
using Ferry.Engine.Promoting;

namespace Ferry.Server.Ui.Environments;

/// <summary>What a page shows when the promotion operations refuse a person's request: the API's status code, a kind, the message.</summary>
internal static class Refusals
{
    /// <returns>Null for an exception that is no refusal (a failure of the server, left to propagate).</returns>
    public static (int Status, string Kind)? Describe(Exception e) => e switch
    {
        PromotionRefusedException r => (StatusCodes.Status409Conflict, RefusalView.KindText(r.Refusal.Kind)),
        PromotionForbiddenException => (StatusCodes.Status403Forbidden, "forbidden"),
        PromotionLookupException => (StatusCodes.Status404NotFound, "not_found"),
        ArgumentException => (StatusCodes.Status400BadRequest, "bad_request"),
        // Approvals refused (self-approval, not an approver, not awaiting), a for_each declaration, a guarded move.
        InvalidOperationException => (StatusCodes.Status409Conflict, "conflict"),
        _ => null,
    };
}
