using Ferry.Core.Promotion;
using Ferry.Engine.Pipelines;
using Ferry.Server.Api;
using Ferry.Storage;

namespace Ferry.Server.Auth;

/// <summary>
/// Which pipelines the request's user may see and what they may do with each: their role in the pipeline's team, or
/// (without one) reading and approving when an environment's <c>approval.from</c> names them or one of their teams.
/// A pipeline the user may not see is treated as absent (404), so its name tells a stranger nothing.
/// </summary>
internal sealed class Access(IStore store, PipelineConfigs configs, RequestActor who)
{
    public RequestActor Who => who;

    /// <summary>The pipeline with what the user may do there; null when it does not exist or the user may not see it.</summary>
    public async Task<PipelineAccess?> PipelineAsync(string name, CancellationToken cancellationToken) =>
        await store.GetPipelineAsync(name, cancellationToken) is { } pipeline ? await PipelineAsync(pipeline, cancellationToken) : null;

    public async Task<PipelineAccess?> PipelineAsync(PipelineRecord pipeline, CancellationToken cancellationToken)
    {
        var role = who.RoleIn(pipeline.Team);
        var approver = role is null && await IsApproverAsync(pipeline, cancellationToken);
        if (role is null && !approver)
        {
            return null;
        }
        var actor = who.BaseActor with { IsOwner = role == TeamRole.Owner };
        return new PipelineAccess(pipeline, who.Name, role, approver, actor);
    }

    /// <summary>
    /// Lets the request into the pipeline for <paramref name="operation"/>: 404 when the user may not see it, 403 naming
    /// the role needed when they may see it but not do this. From here on the request's <see cref="RequestActor.Actor"/>
    /// is the user as this pipeline's team sees them.
    /// </summary>
    public async Task<PipelineAccess> RequireAsync(string pipeline, Operation operation, CancellationToken cancellationToken)
    {
        var access = await PipelineAsync(pipeline, cancellationToken) ?? throw ApiException.NotFound($"pipeline '{pipeline}' not found");
        return Require(access, operation);
    }

    public PipelineAccess Require(PipelineAccess access, Operation operation) =>
        Enter(access, operation) is { } refusal ? throw ApiException.Forbidden(refusal) : access;

    /// <summary>What the web UI's forms do: the refusal to show (403) when the user may not, else null and the request is let in.</summary>
    public string? Enter(PipelineAccess access, Operation operation)
    {
        if (access.Refusal(operation) is { } refusal)
        {
            return refusal;
        }
        who.Enter(access);
        return null;
    }

    /// <summary>For a pipeline not yet there (or going to <paramref name="team"/>): the user's role in that team must allow <paramref name="operation"/>.</summary>
    public void RequireInTeam(string team, string pipeline, Operation operation)
    {
        if (!(who.RoleIn(team) >= operation.Role))
        {
            throw ApiException.Forbidden($"{who.Name} needs the {TeamRoles.Text(operation.Role)} role in team {team} to {operation.On(pipeline)}");
        }
    }

    /// <summary>The pipelines the user may see, by name.</summary>
    public async Task<IReadOnlyList<PipelineAccess>> VisiblePipelinesAsync(CancellationToken cancellationToken)
    {
        var visible = new List<PipelineAccess>();
        foreach (var pipeline in (await store.ListPipelinesAsync(cancellationToken)).OrderBy(p => p.Name, StringComparer.Ordinal))
        {
            if (await PipelineAsync(pipeline, cancellationToken) is { } access)
            {
                visible.Add(access);
            }
        }
        return visible;
    }

    /// <summary>Whether an environment of the pipeline's current config names the user, or a team of theirs, as an approver.</summary>
    private async Task<bool> IsApproverAsync(PipelineRecord pipeline, CancellationToken cancellationToken)
    {
        if (who.User is null)
        {
            return false;
        }
        try
        {
            var config = await configs.CurrentAsync(pipeline, cancellationToken);
            var actor = who.BaseActor;
            return config is not null && config.Environments.Any(e => e.Approval is { From.Count: > 0 } approval
                && new ApprovalRule(approval.Required, approval.From).Admits(actor));
        }
        catch (StoredConfigException)
        {
            // A stored config that no longer loads names no one; its team's members still see why on its page.
            return false;
        }
    }
}
