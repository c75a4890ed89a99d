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
    public static void Add(IServiceCollection services, string dataDirectory)
    {
        services.AddRazorComponents();
        // Antiforgery tokens must outlive a restart and a page left open: keep the keys with the data.
        services.AddDataProtection()
            .SetApplicationName("ferry")
            .PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(dataDirectory, "keys")));
        // The keys sit beside the SQLite file they protect no more than it is; the warning that they are unencrypted is noise.
        services.AddLogging(l => l.AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error));
    }

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
