using Ferry.Server.Pipelines;
using Ferry.Storage;

namespace Ferry.Server.Api;

/// <summary>Pipelines: list, get with config, set a config version (with a dry run that shows the diff), pause, destroy.</summary>
internal static class PipelinesApi
{
    public static void Map(RouteGroupBuilder api)
    {
        var pipelines = api.MapGroup("/pipelines").WithTags("Pipelines");
        pipelines.MapGet("/", ListAsync).WithName("ListPipelines");
        pipelines.MapGet("/{pipeline}", GetAsync).WithName("GetPipeline");
        pipelines.MapGet("/{pipeline}/configs", ListConfigsAsync).WithName("ListPipelineConfigs");
        pipelines.MapGet("/{pipeline}/configs/{number:int}", GetConfigAsync).WithName("GetPipelineConfigVersion")
            .WithSummary("One config version: who set it (a user, or the build whose set_pipeline step did) and its diff from the version before.");
        pipelines.MapPost("/{pipeline}/config/diff", DiffAsync).WithName("DiffPipelineConfig")
            .WithSummary("Validates a config and shows what setting it would change, without storing anything.");
        pipelines.MapPut("/{pipeline}/config", SetAsync).WithName("SetPipelineConfig")
            .WithSummary("Validates a config and stores it as the pipeline's new config version.");
        pipelines.MapPut("/{pipeline}/pause", (IStore store, string pipeline, CancellationToken ct) => PauseAsync(store, pipeline, true, ct))
            .WithName("PausePipeline");
        pipelines.MapPut("/{pipeline}/unpause", (IStore store, string pipeline, CancellationToken ct) => PauseAsync(store, pipeline, false, ct))
            .WithName("UnpausePipeline");
        pipelines.MapDelete("/{pipeline}", DestroyAsync).WithName("DestroyPipeline");
    }

    private static async Task<IReadOnlyList<PipelineSummary>> ListAsync(IStore store, CancellationToken ct) =>
        [.. (await store.ListPipelinesAsync(ct)).OrderBy(p => p.Name, StringComparer.Ordinal).Select(PipelineSummary.From)];

    private static async Task<PipelineDetail> GetAsync(IStore store, string pipeline, CancellationToken ct)
    {
        var p = await store.PipelineAsync(pipeline, ct);
        var config = await store.GetPipelineConfigAsync(p.Id, null, ct);
        return new PipelineDetail(
            p.Name, p.Paused, p.CurrentConfigNumber, config?.Yaml,
            config is null ? [] : [.. config.Vars.Select(v => v.Key).Order(StringComparer.Ordinal)],
            config?.CreatedAt.UtcDateTime, config?.CreatedBy, p.CreatedAt.UtcDateTime, p.UpdatedAt.UtcDateTime);
    }

    private static async Task<IReadOnlyList<ConfigVersionSummary>> ListConfigsAsync(IStore store, string pipeline, CancellationToken ct)
    {
        var p = await store.PipelineAsync(pipeline, ct);
        return [.. (await store.ListPipelineConfigsAsync(p.Id, ct)).Select(c =>
            new ConfigVersionSummary(c.Number, c.CreatedAt.UtcDateTime, c.CreatedBy, [.. c.Vars.Select(v => v.Key).Order(StringComparer.Ordinal)]))];
    }

    private static async Task<ConfigVersionDetail> GetConfigAsync(IStore store, string pipeline, int number, CancellationToken ct)
    {
        var p = await store.PipelineAsync(pipeline, ct);
        var version = await store.GetPipelineConfigAsync(p.Id, number, ct)
            ?? throw ApiException.NotFound($"pipeline '{pipeline}' has no config version {number}");
        var previous = number > 1 ? await store.GetPipelineConfigAsync(p.Id, number - 1, ct) : null;
        return new ConfigVersionDetail(version.Number, version.CreatedAt.UtcDateTime, version.CreatedBy,
            [.. version.Vars.Select(v => v.Key).Order(StringComparer.Ordinal)], previous?.Number,
            ConfigDiff.Of(previous?.Yaml, previous?.Vars, version.Yaml, version.Vars));
    }

    private static async Task<ConfigChange> DiffAsync(IStore store, string pipeline, SetPipelineRequest request, CancellationToken ct)
    {
        var config = PipelineSetter.Check(pipeline, request);
        var existing = await store.GetPipelineAsync(pipeline, ct);
        var current = existing is null ? null : await store.GetPipelineConfigAsync(existing.Id, null, ct);
        var diff = ConfigDiff.Of(current?.Yaml, current?.Vars, config.Yaml, config.Vars);
        return new ConfigChange(pipeline, existing is null, current?.Number, null, diff.Count > 0 || current is null,
            existing?.Paused ?? request.Paused, diff, config.Warnings);
    }

    private static async Task<ConfigChange> SetAsync(IStore store, HttpContext http, string pipeline, SetPipelineRequest request, CancellationToken ct)
    {
        var config = PipelineSetter.Check(pipeline, request);
        var existing = await store.GetPipelineAsync(pipeline, ct);
        var current = existing is null ? null : await store.GetPipelineConfigAsync(existing.Id, null, ct);
        var diff = ConfigDiff.Of(current?.Yaml, current?.Vars, config.Yaml, config.Vars);
        var stored = await store.SetPipelineAsync(PipelineSetter.ToInput(pipeline, config, request.Paused, CreatedBy(http), request.SecretVars?.Keys.ToList()), ct);
        var now = await store.GetPipelineAsync(pipeline, ct);
        return new ConfigChange(pipeline, existing is null, current?.Number, stored.Number, diff.Count > 0 || current is null,
            now?.Paused ?? request.Paused, diff, config.Warnings);
    }

    private static async Task<PipelineSummary> PauseAsync(IStore store, string pipeline, bool paused, CancellationToken ct)
    {
        if (!await store.SetPipelinePausedAsync(pipeline, paused, ct))
        {
            throw ApiException.NotFound($"pipeline '{pipeline}' not found");
        }
        return PipelineSummary.From(await store.PipelineAsync(pipeline, ct));
    }

    private static async Task<IResult> DestroyAsync(IStore store, string pipeline, CancellationToken ct) =>
        await store.DestroyPipelineAsync(pipeline, ct)
            ? Results.NoContent()
            : throw ApiException.NotFound($"pipeline '{pipeline}' not found");

    internal static string? CreatedBy(HttpContext http) =>
        http.User.Identity?.Name;
}
