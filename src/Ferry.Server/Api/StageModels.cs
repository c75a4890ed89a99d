namespace Ferry.Server.Api;

/// <summary>One stage (environment) of a pipeline, in chain order.</summary>
/// <param name="From">The stages (or jobs) its releases come from.</param>
/// <param name="Url">The instance's Admin API URL; never its token.</param>
/// <param name="Source">Releases enter the chain here (its instance's snapshots, or jobs).</param>
public sealed record StageView(string Name, IReadOnlyList<string> From, string? Url, bool Source, string EnvKeys, string Promote);

/// <summary>A stage bound to the running Node-RED instance at <paramref name="Url"/>.</summary>
/// <param name="After">Goes right after this stage (what came from it now comes from the new one).</param>
/// <param name="Before">Goes right before this stage (which now comes from the new one).</param>
/// <param name="TokenVar">The var the instance source's token is written as (<c>token: ((NAME))</c>); default <c>NAME-token</c> when a token is given.</param>
/// <param name="Token">The instance's bearer token: kept as a secret var of the pipeline (encrypted, redacted, never returned), never in the YAML.</param>
/// <param name="Username">The instance's adminAuth user Ferry logs in as (instead of a token).</param>
/// <param name="PasswordVar">The var its password is written as (<c>password: ((NAME))</c>); default <c>NAME-password</c>.</param>
/// <param name="Password">Its password: kept as a secret var of the pipeline, never in the YAML.</param>
/// <param name="EnvKeys"><c>keys-only</c> (default), <c>merge</c> or <c>none</c>.</param>
/// <param name="Promote"><c>auto</c> (default) or <c>manual</c>.</param>
public sealed record AddStageRequest(
    string? Name,
    string? Url,
    string? After = null,
    string? Before = null,
    string? TokenVar = null,
    string? Token = null,
    string? EnvKeys = null,
    string? Promote = null,
    string? Username = null,
    string? PasswordVar = null,
    string? Password = null);

/// <summary>Where a stage moves: right after or right before another.</summary>
public sealed record MoveStageRequest(string? After = null, string? Before = null);

/// <summary>A stage edit's outcome: the config version it wrote and that version's diff from the one before.</summary>
/// <param name="Summary">What was done (<c>added stage qa after staging</c>), also in the audit entry.</param>
/// <param name="NewVersion">The config version written (with <paramref name="DryRun"/>: that would be written); equal to <paramref name="PreviousVersion"/> when nothing changed.</param>
/// <param name="DryRun">Only a preview (<c>?dryRun=true</c>): checked as the edit would be, nothing stored.</param>
/// <param name="Diff">As <c>GET /api/v1/pipelines/{p}/configs/{n}</c> gives it.</param>
/// <param name="Stages">The stages once edited.</param>
public sealed record StageChange(
    string Pipeline,
    string Summary,
    int? PreviousVersion,
    int NewVersion,
    bool Changed,
    bool DryRun,
    IReadOnlyList<string> Diff,
    IReadOnlyList<ConfigError> Warnings,
    IReadOnlyList<StageView> Stages);
