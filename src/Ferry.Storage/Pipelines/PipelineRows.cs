using Ferry.Storage.Environments;
using Ferry.Storage.Secrets;
using Ferry.Storage.Sql;

namespace Ferry.Storage.Pipelines;

internal sealed class PipelineRow
{
    public long Id { get; set; }
    public string Name { get; set; } = "";
    public bool Paused { get; set; }
    public long? CurrentConfig { get; set; }
    public long CreatedAt { get; set; }
    public long UpdatedAt { get; set; }
    public string Team { get; set; } = PipelineRecord.DefaultTeam;

    public PipelineRecord ToRecord() =>
        new((int)Id, Name, Paused, (int?)CurrentConfig, Col.Time(CreatedAt), Col.Time(UpdatedAt)) { Team = Team };
}

internal sealed class PipelineConfigRow
{
    public const string Columns = "pipeline_id, number, yaml, vars, secret_vars, secret_values, created_at, created_by";

    public long PipelineId { get; set; }
    public long Number { get; set; }
    public string Yaml { get; set; } = "";
    public string Vars { get; set; } = "";
    public string SecretVars { get; set; } = "[]";
    public string? SecretValues { get; set; }
    public long CreatedAt { get; set; }
    public string? CreatedBy { get; set; }

    /// <summary>The config version with its vars whole again: the secret ones opened from <see cref="SecretValues"/>.</summary>
    public PipelineConfigVersion ToRecord(SecretBox secrets) =>
        new((int)PipelineId, (int)Number, Yaml, SealedColumns.MergeVars(secrets, Vars, SecretValues, SealedColumns.PipelineVars(PipelineId, Number)),
            Col.Time(CreatedAt), CreatedBy)
        {
            SecretVars = System.Text.Json.JsonSerializer.Deserialize<string[]>(SecretVars) ?? [],
        };
}
