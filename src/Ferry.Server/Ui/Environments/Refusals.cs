using Ferry.Core.Promotion;
using Ferry.Engine.Promoting;

namespace Ferry.Server.Ui.Environments;

/// <summary>What a page shows when the promotion operations refuse a person's request: the API's status code, a kind, the message.</summary>
internal static class Refusals
{
    /// <returns>Null for an exception that is no refusal (a failure of the server, left to propagate).</returns>
    public static (int Status, string Kind)? Describe(Exception e) => e switch
    {
        PromotionRefusedException r => (Api.ApiExceptionHandler.RefusalStatus(r.Refusal), RefusalView.KindText(r.Refusal.Kind)),
        PromotionLookupException => (StatusCodes.Status404NotFound, "not_found"),
        Ferry.Engine.Pushing.PushFailedException => (StatusCodes.Status502BadGateway, "push_failed"),
        ArgumentException => (StatusCodes.Status400BadRequest, "bad_request"),
        _ => null,
    };
}
