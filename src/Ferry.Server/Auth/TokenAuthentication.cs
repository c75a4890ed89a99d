using System.Security.Claims;
using Ferry.Server.Api;
using Ferry.Storage;
using Microsoft.AspNetCore.Mvc;

namespace Ferry.Server.Auth;

/// <summary>
/// Resolves each request's token to its user once, into the scoped <see cref="RequestActor"/>. An API request with an
/// unknown or revoked token gets a 401 problem; elsewhere (the web UI) it goes on as anonymous, marked rejected.
/// </summary>
internal static class TokenAuthentication
{
    public const string CookieName = "ferry_token";
    private const string ApiPrefix = "/api";

    public static void Use(WebApplication app) => app.Use(async (http, next) =>
    {
        var (token, source) = Token(http.Request);
        if (token is not null)
        {
            var user = await http.RequestServices.GetRequiredService<IStore>().AuthenticateTokenAsync(token, http.RequestAborted);
            var actor = http.RequestServices.GetRequiredService<RequestActor>();
            if (user is not null)
            {
                actor.SignIn(user.ToActor());
                // Code that records who did something from HttpContext.User (pipeline configs' created_by) sees the user too.
                http.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, user.Name)], "ferry-token"));
            }
            else if (http.Request.Path.StartsWithSegments(ApiPrefix))
            {
                await RefuseAsync(http, source);
                return;
            }
            else
            {
                actor.Reject();
            }
        }
        await next(http);
    });

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

    private static async Task RefuseAsync(HttpContext http, string source)
    {
        http.Response.StatusCode = StatusCodes.Status401Unauthorized;
        http.Response.Headers.WWWAuthenticate = "Bearer";
        var problem = new ProblemDetails
        {
            Status = StatusCodes.Status401Unauthorized,
            Title = ApiExceptionHandler.Title(StatusCodes.Status401Unauthorized),
            Detail = $"{source} is not a known API token (unknown or revoked); send a valid token, or none to act as '{UserNames.Anonymous}'",
            Instance = http.Request.Path,
        };
        await http.RequestServices.GetRequiredService<IProblemDetailsService>()
            .WriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem });
    }
}
