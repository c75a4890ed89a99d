using Ferry.Storage;

namespace Ferry.Server.Api;

/// <summary>Finds what a route names, or answers 404 naming it ("pipeline 'x' not found").</summary>
internal static class Lookup
{
    public static async Task<PipelineRecord> PipelineAsync(this IStore store, string pipeline, CancellationToken cancellationToken) =>
        await store.GetPipelineAsync(pipeline, cancellationToken)
        ?? throw ApiException.NotFound($"pipeline '{pipeline}' not found");

    public static async Task<(PipelineRecord Pipeline, JobRecord Job)> JobAsync(
        this IStore store, string pipeline, string job, CancellationToken cancellationToken)
    {
        var p = await store.PipelineAsync(pipeline, cancellationToken);
        var j = await store.GetJobAsync(p.Id, job, cancellationToken);
        return j is { Active: true } ? (p, j) : throw ApiException.NotFound($"job '{job}' not found in pipeline '{pipeline}'");
    }

    public static async Task<(PipelineRecord Pipeline, ResourceRecord Resource)> ResourceAsync(
        this IStore store, string pipeline, string resource, CancellationToken cancellationToken)
    {
        var p = await store.PipelineAsync(pipeline, cancellationToken);
        var r = await store.GetResourceAsync(p.Id, resource, cancellationToken);
        return r is { Active: true } ? (p, r) : throw ApiException.NotFound($"resource '{resource}' not found in pipeline '{pipeline}'");
    }

    public static async Task<BuildRecord> BuildAsync(this IStore store, long id, CancellationToken cancellationToken) =>
        await store.GetBuildAsync(id, cancellationToken) ?? throw ApiException.NotFound($"build {id} not found");

    public static async Task<VersionRecord> VersionAsync(
        this IStore store, ResourceRecord resource, string pipeline, long id, CancellationToken cancellationToken)
    {
        var version = await store.GetVersionAsync(id, cancellationToken);
        return version is not null && version.ResourceId == resource.Id
            ? version
            : throw ApiException.NotFound($"version {id} of resource '{pipeline}/{resource.Name}' not found");
    }
}
