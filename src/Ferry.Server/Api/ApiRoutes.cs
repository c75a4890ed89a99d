namespace Ferry.Server.Api;

/// <summary>Everything under <c>/api/v1</c>; unknown routes there answer a 404 problem, not an empty page.</summary>
internal static class ApiRoutes
{
    public static void Map(WebApplication app)
    {
        var api = app.MapGroup("/api/v1");
        InfoApi.Map(api);
        UsersApi.Map(api);
        PipelinesApi.Map(api);
        JobsApi.Map(api);
        BuildsApi.Map(api);
        ResourcesApi.Map(api);
        EnvironmentsApi.Map(api);
        PromotionsApi.Map(api);
        AuditApi.Map(api);
        api.Map("/{**rest}", (HttpContext http) =>
            Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"no API route {http.Request.Method} {http.Request.Path}"))
            .ExcludeFromDescription();
    }
}
