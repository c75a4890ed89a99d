namespace Ferry.Server.Ui.Layout;

/// <summary>Who is acting in the UI, by name, as the builds and audit records name them.</summary>
internal static class Actor
{
    public static string? Name(HttpContext http) => http.User.Identity?.Name;
}
