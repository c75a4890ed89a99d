using Ferry.Server.Auth;
using Microsoft.AspNetCore.Antiforgery;

namespace Ferry.Server.Security;

/// <summary>
/// Cross-site request forgery on the API: a browser adds the web UI's <c>ferry_token</c> cookie by itself, so a
/// state-changing API request that is signed in only by that cookie must also show it comes from Ferry's own pages:
/// Ferry's antiforgery token (header <c>RequestVerificationToken</c>, as the UI's forms carry it) or an <c>Origin</c>
/// that is this server's. A bearer token is never sent by a browser on its own, so such requests pass untouched, as
/// do requests without the cookie (they act as no one a forgery could borrow). Call after the token is resolved:
/// antiforgery tokens belong to the signed-in user.
/// </summary>
internal static class CookieRequestGuard
{
    public static void Use(WebApplication app, string? externalUrl)
    {
        var externalOrigin = externalUrl is not null && Uri.TryCreate(externalUrl, UriKind.Absolute, out var url) ? Origin(url) : null;
        app.Use(async (http, next) =>
        {
            if (!Applies(http.Request) || SameOrigin(http.Request, externalOrigin)
                || await http.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(http))
            {
                await next(http);
                return;
            }
            var origin = http.Request.Headers.Origin.ToString();
            await SecurityProblems.WriteAsync(http, StatusCodes.Status403Forbidden, "Cross-site request refused",
                $"{http.Request.Method} {http.Request.Path} came signed in only by the {TokenAuthentication.CookieName} cookie, " +
                (origin.Length > 0 ? $"from another origin ({origin}), " : "without an Origin header, ") +
                "and without Ferry's antiforgery token; nothing was changed. API clients send their token as 'Authorization: Bearer …'");
        });
    }

    private static bool Applies(HttpRequest request) =>
        request.Path.StartsWithSegments("/api")
        && !(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method) || HttpMethods.IsTrace(request.Method))
        && !request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
        && request.Cookies.TryGetValue(TokenAuthentication.CookieName, out var cookie) && !string.IsNullOrWhiteSpace(cookie);

    private static bool SameOrigin(HttpRequest request, string? externalOrigin)
    {
        var origin = request.Headers.Origin.ToString();
        if (origin.Length == 0 || !Uri.TryCreate(origin, UriKind.Absolute, out var url))
        {
            return false;
        }
        var given = Origin(url);
        return string.Equals(given, $"{request.Scheme}://{request.Host.Value}", StringComparison.OrdinalIgnoreCase)
            || (externalOrigin is not null && string.Equals(given, externalOrigin, StringComparison.OrdinalIgnoreCase));
    }

    // scheme://host[:port], the port only when it is not the scheme's default, as browsers write Origin.
    private static string Origin(Uri url) => url.IsDefaultPort ? $"{url.Scheme}://{url.Host}" : $"{url.Scheme}://{url.Host}:{url.Port}";
}
