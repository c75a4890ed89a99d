namespace Ferry.Server.Api;

/// <summary>Everything under <c>/api/v1</c>; unknown routes there answer a 404 problem, not an empty page.</summary>
internal static class ApiRoutes
{
    private const string Prefix = "/api/v1";

    public static void Map(WebApplication app)
    {
        var api = app.MapGroup(Prefix);
        Auth.ApiPermissions.Apply(api);
        InfoApi.Map(api);
        NodesApi.Map(api);
        WorkersApi.Map(api);
        UsersApi.Map(api);
        PipelinesApi.Map(api);
        JobsApi.Map(api);
        BuildsApi.Map(api);
        ResourcesApi.Map(api);
        EnvironmentsApi.Map(api);
        SnapshotsApi.Map(api);
        PushApi.Map(api);
        StagesApi.Map(api);
        PromotionsApi.Map(api);
        AuditApi.Map(api);
        PipelineEventsApi.Map(api);
        api.Map("/{**rest}", (HttpContext http) =>
            Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"no API route {http.Request.Method} {http.Request.Path}"))
            .WithName("ApiNotFound").ExcludeFromDescription();
        // Fails the start when an endpoint says nothing of who may call it.
        Auth.ApiPermissions.Verify(((IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints), Prefix);
    }
}
