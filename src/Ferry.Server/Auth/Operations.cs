using Ferry.Storage;

namespace Ferry.Server.Auth;

/// <summary>
/// Something a person does with a pipeline, the least role it needs in the pipeline's team, and how a refusal names it
/// ("alice needs the operator role in team main to <see cref="Doing"/> pipeline hello"). The API, the web UI and
/// SECURITY.md speak of the same operations.
/// </summary>
internal sealed record Operation(TeamRole Role, string Doing)
{
    /// <summary>"trigger jobs of pipeline hello"; a <see cref="Doing"/> with <c>{pipeline}</c> says where the pipeline goes.</summary>
    public string On(string pipeline) =>
        Doing.Contains("{pipeline}", StringComparison.Ordinal) ? Doing.Replace("{pipeline}", $"pipeline {pipeline}", StringComparison.Ordinal) : $"{Doing} pipeline {pipeline}";
}

/// <summary>Every operation on a pipeline; <see cref="ApiPermissions"/> maps each API endpoint to one of them.</summary>
internal static class Operations
{
    public static readonly Operation See = new(TeamRole.Viewer, "see");

    public static readonly Operation TriggerJob = new(TeamRole.Operator, "trigger jobs of");
    public static readonly Operation PauseJob = new(TeamRole.Operator, "pause jobs of");
    public static readonly Operation AbortBuild = new(TeamRole.Operator, "abort builds of");
    public static readonly Operation Pause = new(TeamRole.Operator, "pause or unpause");
    public static readonly Operation Check = new(TeamRole.Operator, "check resources of");
    public static readonly Operation Pin = new(TeamRole.Operator, "pin or unpin resources of");
    public static readonly Operation DisableVersion = new(TeamRole.Operator, "enable or disable versions of");
    public static readonly Operation Promote = new(TeamRole.Operator, "promote releases of");
    public static readonly Operation Rollback = new(TeamRole.Operator, "roll back environments of");
    public static readonly Operation Hold = new(TeamRole.Operator, "put or lift holds on environments of");
    public static readonly Operation DisableRelease = new(TeamRole.Operator, "enable or disable releases of");

    /// <summary>Operators approve; so does anyone an environment's <c>approval.from</c> names, whatever their role.</summary>
    public static readonly Operation Approve = new(TeamRole.Operator, "approve or reject promotions of");

    public static readonly Operation Set = new(TeamRole.Member, "set");
    public static readonly Operation SetVariable = new(TeamRole.Member, "change the variables of");

    public static readonly Operation Destroy = new(TeamRole.Owner, "destroy");
    public static readonly Operation Move = new(TeamRole.Owner, "move {pipeline} to another team");
}
