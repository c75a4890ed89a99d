using Ferry.Storage.Environments;
using Ferry.Storage.Secrets;
using Ferry.Storage.Sql;

namespace Ferry.Storage.Resources;

internal sealed class ResourceRow
{
    public const string Columns =
        "id, pipeline_id, name, type, source, config, config_hash, scope, active, webhook_token, last_checked_at, last_check_error, next_check_at, pinned_version_id, pin_comment";

    public long Id { get; set; }
    public long PipelineId { get; set; }
    public string Name { get; set; } = "";
    public string Type { get; set; } = "";
    public string Source { get; set; } = "";
    public string Config { get; set; } = "";
    public string ConfigHash { get; set; } = "";
    public long Scope { get; set; }
    public bool Active { get; set; }
    public string? WebhookToken { get; set; }
    public long? LastCheckedAt { get; set; }
    public string? LastCheckError { get; set; }
    public long? NextCheckAt { get; set; }
    public long? PinnedVersionId { get; set; }
    public string? PinComment { get; set; }

    /// <summary>The resource with its sealed columns opened (those of a pipeline set with secret vars).</summary>
    public ResourceRecord ToRecord(SecretBox secrets) => new(
        (int)Id, (int)PipelineId, Name, Type, Col.Object(Open(secrets, Source, "source")), Col.Object(Open(secrets, Config, "config")), ConfigHash,
        (int)Scope, Active, Open(secrets, WebhookToken, "webhook_token"), Col.Time(LastCheckedAt), LastCheckError, Col.Time(NextCheckAt), PinnedVersionId, PinComment);

    private string? Open(SecretBox secrets, string? text, string column) => SealedColumns.Open(secrets, text, SealedColumns.Resource(PipelineId, Name, column));
}

internal sealed class JobRow
{
    public const string Columns = "id, pipeline_id, name, config, active, paused, build_counter";

    public long Id { get; set; }
    public long PipelineId { get; set; }
    public string Name { get; set; } = "";
    public string Config { get; set; } = "";
    public bool Active { get; set; }
    public bool Paused { get; set; }
    public long BuildCounter { get; set; }

    public JobRecord ToRecord() => new((int)Id, (int)PipelineId, Name, Col.Object(Config), Active, Paused, (int)BuildCounter);
}
