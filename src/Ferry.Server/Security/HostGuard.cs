namespace Ferry.Server.Security;

/// <summary>
/// Refuses a request whose <c>Host</c> is not one Ferry answers to (<see cref="AllowedHosts"/>) with a 421 problem,
/// before anything reads a cookie or a token: a page on another site that made its own name resolve to this server
/// (DNS rebinding) gets nothing.
/// </summary>
internal static class HostGuard
{
    public static void Use(WebApplication app, AllowedHosts allowed) => app.Use(async (http, next) =>
    {
        var host = http.Request.Host;
        if (host.HasValue && allowed.Allows(host.Host))
        {
            await next(http);
            return;
        }
        var named = host.HasValue ? $"'{host.Value}'" : "no host";
        await SecurityProblems.WriteAsync(http, StatusCodes.Status421MisdirectedRequest, "Unknown host",
            $"this Ferry server does not answer to {named} (it answers to {allowed.Describe()}); " +
            "start it with --external-url URL when users and webhooks reach it by another name");
    });
}
