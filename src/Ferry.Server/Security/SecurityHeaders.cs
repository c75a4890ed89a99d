namespace Ferry.Server.Security;

/// <summary>
/// Headers on every response, errors included (they are added when the response starts, after any handler cleared
/// it). The web UI loads only its own embedded CSS and JS (Ui/UiAssets.cs) and has no inline script or style, so the
/// content security policy allows nothing else; no page may frame Ferry (clickjacking of its buttons).
/// </summary>
internal static class SecurityHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "form-action 'self'; base-uri 'self'; frame-ancestors 'none'";

    public static void Use(WebApplication app) => app.Use((http, next) =>
    {
        http.Response.OnStarting(() =>
        {
            var headers = http.Response.Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "same-origin";
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            return Task.CompletedTask;
        });
        return next(http);
    });
}
