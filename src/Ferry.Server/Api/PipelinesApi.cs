using Ferry.Core.Promotion;
using Ferry.Engine.Pipelines;
using Ferry.Server.Auth;
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

    /// <summary>The pipelines the caller may see: those of their teams, and those whose approvals name them.</summary>
    private static async Task<IReadOnlyList<PipelineSummary>> ListAsync(Access access, CancellationToken ct) =>
        [.. (await access.VisiblePipelinesAsync(ct)).Select(a => PipelineSummary.From(a.Pipeline))];

    private static async Task<PipelineDetail> GetAsync(IStore store, string pipeline, CancellationToken ct)
    {
        var p = await store.PipelineAsync(pipeline, ct);
        var config = await store.GetPipelineConfigAsync(p.Id, null, ct);
        return new PipelineDetail(
            p.Name, p.Team, p.Paused, p.CurrentConfigNumber, config?.Yaml,
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

    private static async Task<ConfigChange> DiffAsync(IStore store, Access access, string pipeline, SetPipelineRequest request, CancellationToken ct)
    {
        var config = PipelineSetter.Check(pipeline, request);
        var existing = await store.GetPipelineAsync(pipeline, ct);
        var team = await RequireSetAsync(access, pipeline, existing, request.Team, ct);
        var current = existing is null ? null : await store.GetPipelineConfigAsync(existing.Id, null, ct);
        var diff = ConfigDiff.Of(current?.Yaml, current?.Vars, config.Yaml, config.Vars);
        return new ConfigChange(pipeline, existing is null, current?.Number, null, diff.Count > 0 || current is null || team != existing?.Team,
            existing?.Paused ?? request.Paused, diff, config.Warnings)
        {
            Team = team, CurrentTeam = existing?.Team, Summary = ConfigSummary.Of(config.Config),
        };
    }

    private static async Task<ConfigChange> SetAsync(IStore store, PipelineConfigs configs, Access access, HttpContext http, string pipeline,
        SetPipelineRequest request, CancellationToken ct)
    {
        var config = PipelineSetter.Check(pipeline, request);
        var existing = await store.GetPipelineAsync(pipeline, ct);
        var team = await RequireSetAsync(access, pipeline, existing, request.Team, ct);
        var weakened = existing is null ? [] : ProtectionChanges.Weakened(await CurrentConfigAsync(configs, existing, ct), config.Config);
        RequireOwnerToWeaken(access, pipeline, existing?.Team ?? team, weakened);
        var current = existing is null ? null : await store.GetPipelineConfigAsync(existing.Id, null, ct);
        var diff = ConfigDiff.Of(current?.Yaml, current?.Vars, config.Yaml, config.Vars);
        var input = PipelineSetter.ToInput(pipeline, config, request.Paused, CreatedBy(http), request.SecretVars?.Keys.ToList()) with
        {
            Team = team,
            AuditDetail = weakened.Count == 0 ? null : "weakens " + string.Join("; ", weakened),
        };
        var stored = await store.SetPipelineAsync(input, ct);
        var now = await store.GetPipelineAsync(pipeline, ct);
        return new ConfigChange(pipeline, existing is null, current?.Number, stored.Number, diff.Count > 0 || current is null || team != existing?.Team,
            now?.Paused ?? request.Paused, diff, config.Warnings)
        {
            Team = team, CurrentTeam = existing?.Team, Summary = ConfigSummary.Of(config.Config),
        };
    }

    /// <summary>
    /// Setting needs the member role in the pipeline's team; a new pipeline goes to <c>--team</c> (default main), an
    /// existing one stays in its team unless <c>--team</c> moves it, which needs the owner role in the team it leaves.
    /// </summary>
    /// <returns>The team the pipeline belongs to once set.</returns>
    private static async Task<string> RequireSetAsync(Access access, string pipeline, PipelineRecord? existing, string? requested, CancellationToken ct)
    {
        var team = string.IsNullOrWhiteSpace(requested) ? existing?.Team ?? PipelineRecord.DefaultTeam : requested.Trim();
        if (UserNames.Problem(team, team: true) is { } problem)
        {
            throw ApiException.BadRequest("team", problem);
        }
        if (existing is not null)
        {
            var seen = await access.PipelineAsync(existing, ct)
                ?? throw ApiException.Forbidden($"pipeline '{pipeline}' already exists in a team {access.Who.Name} has no role in; choose another name");
            access.Require(seen, team == existing.Team ? Operations.Set : Operations.Move);
        }
        access.RequireInTeam(team, pipeline, Operations.Set);
        return team;
    }

    /// <summary>
    /// Taking protection away from an environment (protected, approval, who may approve, which environments a release
    /// must pass) needs an owner of the pipeline's team or a global owner: 403 naming the environment and the field.
    /// </summary>
    private static void RequireOwnerToWeaken(Access access, string pipeline, string team, IReadOnlyList<WeakenedProtection> weakened)
    {
        if (weakened.Count > 0 && access.Who.RoleIn(team) != TeamRole.Owner)
        {
            throw ApiException.Forbidden(
                $"{access.Who.Name} needs the owner role in team {team} to weaken the protection of pipeline {pipeline}: {string.Join("; ", weakened)}");
        }
    }

    /// <summary>The config in force, to compare with; a stored config that no longer loads protects nothing to compare with.</summary>
    private static async Task<Ferry.Core.Pipelines.PipelineConfig?> CurrentConfigAsync(PipelineConfigs configs, PipelineRecord existing, CancellationToken ct)
    {
        try
        {
            return await configs.CurrentAsync(existing, ct);
        }
        catch (StoredConfigException)
        {
            return null;
        }
    }

    private static async Task<PipelineSummary> PauseAsync(IStore store, string pipeline, bool paused, CancellationToken ct)
    {
        if (!await store.SetPipelinePausedAsync(pipeline, paused, ct))
        {
            throw ApiException.NotFound($"pipeline '{pipeline}' not found");
        }
        return PipelineSummary.From(await store.PipelineAsync(pipeline, ct));
    }

    private static async Task<IResult> DestroyAsync(PipelineRemoval removal, RequestActor actor, string pipeline, CancellationToken ct) =>
        await removal.DestroyAsync(pipeline, actor.Actor.Name, ct)
            ? Results.NoContent()
            : throw ApiException.NotFound($"pipeline '{pipeline}' not found");

    internal static string? CreatedBy(HttpContext http) =>
        http.User.Identity?.Name;
}
