using System.Security.Claims;
using Ferry.Server.Api;
using Ferry.Storage;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Ferry.Server.Auth;

/// <summary>
/// Resolves each request's token to its user once, into the scoped <see cref="RequestActor"/>, and lets no one further
/// without a signed-in user: an API request gets a 401 problem, a page request the sign-in page. Endpoints marked
/// <c>AllowAnonymous</c> (the info endpoint, resource webhooks, the sign-in page, the UI's assets) are the exceptions,
/// and so is every request on a server started with <c>--insecure-no-auth</c>. An unknown or revoked token is never
/// taken as no token: the API refuses it, the UI asks to sign in again. The worker routes (<c>/api/v1/worker/</c>) take
/// only worker tokens (<c>ferry token create --worker</c>), and a worker token opens nothing else.
/// </summary>
internal static class TokenAuthentication
{
    public const string CookieName = "ferry_token";
    private const string ApiPrefix = "/api";
    private const string OpenApiPrefix = "/openapi";
    private const string WorkerPrefix = "/api/v1/worker";

    /// <summary>Where a page request without a signed-in user goes; the query says where to return and why.</summary>
    public const string SignInPath = "/sign-in";

    public static void Use(WebApplication app) => app.Use(async (http, next) =>
    {
        var actor = http.RequestServices.GetRequiredService<RequestActor>();
        var (token, source) = Token(http.Request);
        var store = http.RequestServices.GetRequiredService<IStore>();
        if (http.Request.Path.StartsWithSegments(WorkerPrefix))
        {
            var worker = token is null ? null : await store.AuthenticateWorkerTokenAsync(token, http.RequestAborted);
            if (worker is null)
            {
                await RefuseAsync(http, token is null
                    ? "the worker routes need a worker token: 'Authorization: Bearer ferry_…' made with 'ferry token create --worker NAME'"
                    : $"{source} is not a known worker token (unknown, revoked, or a user's token: the worker routes take only tokens made with 'ferry token create --worker NAME')");
                return;
            }
            actor.SignInWorker(worker);
            await next(http);
            return;
        }
        if (token is not null)
        {
            var user = await store.AuthenticateTokenAsync(token, http.RequestAborted);
            if (user is not null)
            {
                actor.SignIn(user);
                // Code that records who did something from HttpContext.User (pipeline configs' created_by) sees the user too.
                http.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, user.Name)], "ferry-token"));
            }
            else if (IsApi(http))
            {
                await RefuseAsync(http, await store.AuthenticateWorkerTokenAsync(token, http.RequestAborted) is { } worker
                    ? $"{source} is the worker token of worker {worker}: it authenticates only the worker routes ({WorkerPrefix}/…)"
                    : $"{source} is not a known API token (unknown or revoked); sign in again with a valid one (ferry login)");
                return;
            }
            else
            {
                actor.Reject();
            }
        }
        var open = http.GetEndpoint()?.Metadata.GetMetadata<IAllowAnonymous>() is not null;
        if (actor.IsAuthenticated || open || (http.RequestServices.GetRequiredService<AuthMode>().InsecureNoAuth && !actor.TokenRejected))
        {
            await next(http);
        }
        else if (IsApi(http))
        {
            await RefuseAsync(http, "this server needs a signed-in user: send an API token as 'Authorization: Bearer ferry_…' (ferry login saves one for the CLI)");
        }
        else
        {
            SendToSignIn(http, actor.TokenRejected);
        }
    });

    // The OpenAPI document is read by API clients: they get the API's 401, not the sign-in page.
    private static bool IsApi(HttpContext http) => http.Request.Path.StartsWithSegments(ApiPrefix) || http.Request.Path.StartsWithSegments(OpenApiPrefix);

    /// <summary>The bearer token, else the cookie; an empty or malformed header counts as none given.</summary>
    private static (string? Token, string Source) Token(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && header[7..].Trim() is { Length: > 0 } bearer)
        {
            return (bearer, "the Authorization header's bearer token");
        }
        return request.Cookies.TryGetValue(CookieName, out var cookie) && !string.IsNullOrWhiteSpace(cookie)
            ? (cookie.Trim(), $"the {CookieName} cookie")
            : (null, "");
    }

    private static void SendToSignIn(HttpContext http, bool rejected)
    {
        if (rejected)
        {
            // A revoked token's cookie is of no more use; without it the sign-in page starts clean.
            Ui.Auth.UiCookie.SignOut(http);
        }
        var back = Uri.EscapeDataString(http.Request.Path + http.Request.QueryString);
        // 303: a form posted without a user is not posted again to the sign-in page.
        http.Response.StatusCode = HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method)
            ? StatusCodes.Status302Found
            : StatusCodes.Status303SeeOther;
        http.Response.Headers.Location = $"{SignInPath}?returnUrl={back}{(rejected ? "&expired=true" : "")}";
    }

    private static async Task RefuseAsync(HttpContext http, string detail)
    {
        http.Response.StatusCode = StatusCodes.Status401Unauthorized;
        http.Response.Headers.WWWAuthenticate = "Bearer";
        var problem = new ProblemDetails
        {
            Status = StatusCodes.Status401Unauthorized,
            Title = ApiExceptionHandler.Title(StatusCodes.Status401Unauthorized),
            Detail = detail,
            Instance = http.Request.Path,
        };
        await http.RequestServices.GetRequiredService<IProblemDetailsService>()
            .WriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem });
    }
}
