namespace Ferry.Core.Pipelines.Stages;

/// <summary>Where a stage goes in the chain: right after one stage, right before one, or (neither) at the end.</summary>
public sealed record StagePosition(string? After = null, string? Before = null)
{
    public static readonly StagePosition End = new();

    public override string ToString() => After is not null ? $"after {After}" : Before is not null ? $"before {Before}" : "at the end";
}

/// <summary>
/// A Node-RED stage bound to the instance at <paramref name="Url"/>. <paramref name="TokenVar"/> names the ((var))
/// its source's token comes from, <paramref name="PasswordVar"/> the one of the password of the adminAuth user
/// <paramref name="Username"/>; a token or password itself never goes into the YAML.
/// </summary>
/// <param name="EnvKeys"><c>keys-only</c>, <c>merge</c> or <c>none</c>; null leaves the default (keys-only) unwritten.</param>
/// <param name="Promote"><c>auto</c> or <c>manual</c>; null leaves the default unwritten.</param>
public sealed record NewStage(string Name, string Url, string? TokenVar = null, string? EnvKeys = null, string? Promote = null,
    string? Username = null, string? PasswordVar = null)
{
    /// <summary>The node-red resource a first stage (the source of releases) gets: its snapshots are the releases.</summary>
    public string SourceResource => Name + "-flows";
}
