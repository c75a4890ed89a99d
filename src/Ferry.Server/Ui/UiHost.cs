using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Logging;

namespace Ferry.Server.Ui;

/// <summary>
/// The web UI at <c>/</c>: Razor components rendered on the server (static SSR; forms post back with an antiforgery
/// token, no websocket circuit), the UI's CSS and JS, and a 404 page for every path nothing else answers.
/// </summary>
internal static class UiHost
{
    public static void Add(IServiceCollection services, string dataDirectory, Ferry.Storage.Keys.IKeyStore keys)
    {
        services.AddRazorComponents();
        // Antiforgery tokens must outlive a restart and a page left open: keep the keys with the data, or, with a
        // master key, in the database's key ring, where every node finds them.
        var protection = services.AddDataProtection().SetApplicationName("ferry");
        if (keys.HasKeyRing)
            services.Configure<Microsoft.AspNetCore.DataProtection.KeyManagement.KeyManagementOptions>(o => o.XmlRepository = new Security.StoreXmlRepository(keys));
        else
            protection.PersistKeysToFileSystem(new DirectoryInfo(Ferry.Storage.DataFiles.CreateDirectory(Path.Combine(dataDirectory, "keys"))));
        // The keys sit beside the SQLite file they protect no more than it is; the warning that they are unencrypted is noise.
        services.AddLogging(l => l.AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error));
    }

    /// <summary>
    /// Call right after <c>UseAntiforgery</c>: a UI form whose token is missing or stale (a page from before signing in
    /// or out, in another tab) gets a page that says so instead of an empty 400.
    /// </summary>
    public static void UseFormGuard(WebApplication app) => app.Use(async (http, next) =>
    {
        if (http.Features.Get<IAntiforgeryValidationFeature>() is { IsValid: false } && !http.Request.Path.StartsWithSegments("/api"))
        {
            http.Response.StatusCode = StatusCodes.Status400BadRequest;
            http.Response.ContentType = "text/html; charset=utf-8";
            var back = System.Net.WebUtility.HtmlEncode(http.Request.Path + http.Request.QueryString);
            var insecure = http.RequestServices.GetRequiredService<Ferry.Server.Auth.AuthMode>().InsecureNoAuth
                ? "<div class=\"insecure\" role=\"alert\" data-insecure>This server runs with --insecure-no-auth: anyone who can reach it is an owner.</div>"
                : "";
            await http.Response.WriteAsync($$"""
                <!DOCTYPE html>
                <html lang="en"><head><meta charset="utf-8" /><title>Form not accepted · Ferry</title>
                <link rel="stylesheet" href="{{UiAssets.Path("ferry.css")}}" /></head>
                <body>{{insecure}}<header class="top"><a class="brand" href="/">Ferry</a></header><main>
                <h1>Form not accepted</h1>
                <div class="alert refusal" role="alert" data-refusal="antiforgery">The form came without a valid antiforgery token: the page
                was loaded before you signed in or out, or by another site. Nothing was changed.</div>
                <p><a href="{{back}}">Load the page again</a> and repeat what you did.</p>
                </main></body></html>
                """);
            return;
        }
        await next(http);
    });

    /// <summary>Call after the API's routes; needs <c>UseAntiforgery</c> in the pipeline before the endpoints run.</summary>
    public static void Map(WebApplication app)
    {
        UiAssets.Map(app);
        app.MapRazorComponents<App>();
        // Paths no page, API route or asset answers: the UI's 404 page, not an empty response.
        app.MapFallback(() => new RazorComponentResult<App> { StatusCode = StatusCodes.Status404NotFound })
            .ExcludeFromDescription();
    }
}
