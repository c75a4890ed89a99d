using Ferry.Storage.Sql;

namespace Ferry.Storage.Audit;

internal sealed class AuditLogEntryRow
{
    public long Id { get; set; }
    public long? PipelineId { get; set; }
    public string PipelineName { get; set; } = "";
    public string? Environment { get; set; }
    public long At { get; set; }
    public string Actor { get; set; } = "";
    public string Action { get; set; } = "";
    public long? PromotionId { get; set; }
    public long? ReleaseNumber { get; set; }
    public string? Detail { get; set; }

    public AuditLogEntry ToEntry() =>
        new(Id, PipelineName, (int?)PipelineId, Environment, Col.Time(At), Actor, Action, PromotionId, (int?)ReleaseNumber, Detail);
}
