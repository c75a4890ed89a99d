using Ferry.Core.Promotion;
using Ferry.Engine.Promoting;
using Ferry.Storage;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Ferry.Server.Api;

/// <summary>Every failure of a request becomes an <c>application/problem+json</c> answer; only unexpected ones are logged.</summary>
internal sealed partial class ApiExceptionHandler(IProblemDetailsService problems, ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        // The id the problem details answer carries as traceId (the W3C activity id when there is one).
        var traceId = System.Diagnostics.Activity.Current?.Id ?? context.TraceIdentifier;
        var (status, detail, field, errors) = exception switch
        {
            ApiException e => (e.Status, e.Message, e.Field, e.Errors),
            PromotionLookupException e => (StatusCodes.Status404NotFound, e.Message, null, null),
            PromotionRefusedException e => (RefusalStatus(e.Refusal), e.Message, null, null),
            ArgumentException e => (StatusCodes.Status400BadRequest, e.Message, null, null),
            BadHttpRequestException e => (e.StatusCode, Describe(e), "body", null),
            StoreException e => (StatusCodes.Status503ServiceUnavailable, e.Message, null, null),
            // Anything else is a failure of the server (a bug), never a refusal: 500, logged with the trace id it names.
            _ => (StatusCodes.Status500InternalServerError,
                $"{context.Request.Method} {context.Request.Path} failed on the server (trace id {traceId}): {exception.Message}", null, null),
        };
        // Refusals the API means to give (404, 409, 501 …) are answers, not failures of the server.
        if (status >= 500 && exception is not ApiException)
        {
            LogFailed(exception, context.Request.Method, context.Request.Path, traceId, exception.Message);
        }
        var problem = new ProblemDetails { Status = status, Title = Title(status), Detail = detail, Instance = context.Request.Path };
        problem.Extensions["traceId"] = traceId;
        if (field is not null)
        {
            problem.Extensions["field"] = field;
        }
        if (errors is not null)
        {
            problem.Extensions["errors"] = errors;
        }
        if (exception is PromotionRefusedException refused)
        {
            problem.Extensions["refusal"] = RefusalView.Of(refused.Refusal);
        }
        context.Response.StatusCode = status;
        if (await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem, Exception = exception }))
        {
            return true;
        }
        // The writer declines when the request accepts no JSON (an event stream's `Accept: text/event-stream`): the
        // problem is written anyway, so a client learns what was not found instead of reading an empty body.
        await context.Response.WriteAsJsonAsync(problem, (System.Text.Json.JsonSerializerOptions?)null, "application/problem+json", cancellationToken);
        return true;
    }

    /// <summary>A refusal is a conflict with the rules (409), or a right the person lacks (403).</summary>
    internal static int RefusalStatus(Refusal refusal) =>
        refusal.Kind == RefusalKind.NotAllowed ? StatusCodes.Status403Forbidden : StatusCodes.Status409Conflict;

    // Minimal APIs say "Failed to read parameter … as JSON."; the inner JSON error says where.
    private static string Describe(BadHttpRequestException e) =>
        e.InnerException is System.Text.Json.JsonException json ? $"the request body is not valid JSON: {json.Message}" : e.Message;

    internal static string Title(int status) => status switch
    {
        400 => "Bad request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not found",
        409 => "Conflict",
        422 => "Invalid pipeline config",
        501 => "Not implemented",
        503 => "Store unavailable",
        _ => "Server error",
    };

    [LoggerMessage(Level = LogLevel.Error, Message = "{Method} {Path} failed (trace id {TraceId}): {Reason}")]
    private partial void LogFailed(Exception e, string method, string path, string traceId, string reason);
}
