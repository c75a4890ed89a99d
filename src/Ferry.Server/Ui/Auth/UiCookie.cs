using Ferry.Server.Auth;

namespace Ferry.Server.Ui.Auth;

/// <summary>The <c>ferry_token</c> cookie the web UI signs in with (read by <see cref="TokenAuthentication"/>).</summary>
internal static class UiCookie
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromDays(30);

    public static void SignIn(HttpContext http, string token) =>
        http.Response.Cookies.Append(TokenAuthentication.CookieName, token, Options(http, DateTimeOffset.UtcNow + Lifetime));

    public static void SignOut(HttpContext http) =>
        http.Response.Cookies.Delete(TokenAuthentication.CookieName, Options(http, null));

    // Script never needs the token, and no other site may send it: a cross-site form or fetch arrives without it.
    private static CookieOptions Options(HttpContext http, DateTimeOffset? expires) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = http.Request.IsHttps,
        Path = "/",
        Expires = expires,
        IsEssential = true,
    };

    /// <summary>Only a path on this server is a place to return to after signing in.</summary>
    public static string LocalOrHome(string? returnUrl) =>
        returnUrl is { Length: > 0 } url && url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal)
            ? url
            : "/";
}
