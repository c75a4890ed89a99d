using Ferry.Storage;

namespace Ferry.Server.Api;

/// <param name="Team">The team the pipeline belongs to: roles there say who may do what with it.</param>
public sealed record PipelineSummary(string Name, string Team, bool Paused, int? ConfigVersion, DateTime CreatedAt, DateTime UpdatedAt)
{
    internal static PipelineSummary From(PipelineRecord p) =>
        new(p.Name, p.Team, p.Paused, p.CurrentConfigNumber, p.CreatedAt.UtcDateTime, p.UpdatedAt.UtcDateTime);
}

/// <param name="Config">The YAML as it was set, placeholders and all; var values are never returned, only their names.</param>
public sealed record PipelineDetail(
    string Name,
    string Team,
    bool Paused,
    int? ConfigVersion,
    string? Config,
    IReadOnlyList<string> VarNames,
    DateTime? ConfigSetAt,
    string? ConfigSetBy,
    DateTime CreatedAt,
    DateTime UpdatedAt);

public sealed record ConfigVersionSummary(int Number, DateTime CreatedAt, string? CreatedBy, IReadOnlyList<string> VarNames);

/// <param name="CreatedBy">Who set it: a user, or <c>build 4 of ci/self-update</c> for a set_pipeline step.</param>
/// <param name="Diff">From <paramref name="PreviousVersion"/> (the whole config when there is none), as <see cref="ConfigChange.Diff"/>.</param>
public sealed record ConfigVersionDetail(int Number, DateTime CreatedAt, string? CreatedBy, IReadOnlyList<string> VarNames, int? PreviousVersion,
    IReadOnlyList<string> Diff);

/// <summary>A pipeline config to check or set: the YAML and the vars of <c>-v</c>, <c>-y</c> and <c>-l</c>.</summary>
/// <param name="Config">The pipeline YAML.</param>
/// <param name="FileName">The file it came from, for error locations (default <c>pipeline.yml</c>).</param>
/// <param name="Vars"><c>-v name=value</c>: string values.</param>
/// <param name="YamlVars"><c>-y name=yaml</c>: values that keep their YAML type.</param>
/// <param name="VarFiles"><c>-l file</c>: YAML files whose top-level keys are vars; later ones win, then -v, then -y.</param>
/// <param name="Paused">A pipeline created by this call starts paused.</param>
/// <param name="SecretVars"><c>--secret-var name=value</c>: string values redacted from build logs and never returned.</param>
/// <param name="Team"><c>--team</c>: the team the pipeline belongs to; a new pipeline's default is main, an existing one keeps its own.</param>
public sealed record SetPipelineRequest(
    string? Config,
    string? FileName = null,
    Dictionary<string, string>? Vars = null,
    Dictionary<string, string>? YamlVars = null,
    List<VarFile>? VarFiles = null,
    bool Paused = false,
    Dictionary<string, string>? SecretVars = null,
    string? Team = null);

public sealed record VarFile(string Name, string Content);

/// <summary>What setting a config would change: the answer of the dry run and of the set itself.</summary>
/// <param name="Diff">Unified-style lines (<c>+ </c>, <c>- </c>, <c>  </c>, <c>@@ … @@</c>) of the YAML, then var names added, removed or changed.</param>
public sealed record ConfigChange(
    string Pipeline,
    bool IsNew,
    int? CurrentVersion,
    int? NewVersion,
    bool Changed,
    bool Paused,
    IReadOnlyList<string> Diff,
    IReadOnlyList<ConfigError> Warnings)
{
    /// <summary>The team the pipeline belongs to once set.</summary>
    public string Team { get; init; } = PipelineRecord.DefaultTeam;

    /// <summary>The team it belonged to before; null for a new pipeline. Differs from <see cref="Team"/> when set-pipeline --team moves it.</summary>
    public string? CurrentTeam { get; init; }

    /// <summary>What the config declares, by name: what a new pipeline's set-pipeline shows instead of its whole YAML as a diff.</summary>
    public ConfigSummary? Summary { get; init; }
}

/// <summary>The names a pipeline config declares, in file order.</summary>
public sealed record ConfigSummary(IReadOnlyList<string> Resources, IReadOnlyList<string> Jobs, IReadOnlyList<string> Environments)
{
    public static ConfigSummary Of(Ferry.Core.Pipelines.PipelineConfig config) =>
        new([.. config.Resources.Select(r => r.Name)], [.. config.Jobs.Select(j => j.Name)], [.. config.Environments.Select(e => e.Name)]);
}
