using Ferry.Core.Builds;
using Ferry.Storage.Environments;
using Ferry.Storage.Secrets;
using Ferry.Storage.Sql;

namespace Ferry.Storage.Builds;

internal sealed class BuildRow
{
    public const string Select =
        "SELECT b.id, b.pipeline_id, p.name AS pipeline_name, b.job_id, j.name AS job_name, b.name, b.status, b.plan, b.rerun_of, " +
        "b.created_by, b.created_at, b.started_at, b.ended_at, b.reason, b.claimed_by, b.abort_requested " +
        "FROM builds b LEFT JOIN pipelines p ON p.id = b.pipeline_id LEFT JOIN jobs j ON j.id = b.job_id";

    public long Id { get; set; }
    public long? PipelineId { get; set; }
    public string? PipelineName { get; set; }
    public long? JobId { get; set; }
    public string? JobName { get; set; }
    public string Name { get; set; } = "";
    public string Status { get; set; } = "";
    public string Plan { get; set; } = "";
    public long? RerunOf { get; set; }
    public string? CreatedBy { get; set; }
    public long CreatedAt { get; set; }
    public long? StartedAt { get; set; }
    public long? EndedAt { get; set; }
    public string? Reason { get; set; }
    public string? ClaimedBy { get; set; }
    public bool AbortRequested { get; set; }

    /// <summary>The build with its plan opened when it is sealed (a pipeline set with secret vars).</summary>
    public BuildRecord ToRecord(SecretBox secrets) => new(
        Id, (int?)PipelineId, PipelineName, (int?)JobId, JobName, Name, StatusText.Parse(Status),
        SealedColumns.Open(secrets, Plan, SealedColumns.BuildPlan(PipelineId))!, RerunOf, CreatedBy,
        Col.Time(CreatedAt), Col.Time(StartedAt), Col.Time(EndedAt), Reason, ClaimedBy, AbortRequested);
}

internal static class StatusText
{
    public static string Of(BuildStatus status) => status.ToString().ToLowerInvariant();

    public static BuildStatus Parse(string text) =>
        Enum.TryParse<BuildStatus>(text, ignoreCase: true, out var status)
            ? status
            : throw new StoreException($"reading a build: unknown status '{text}' in the database");
}

internal sealed class BuildInputRow
{
    public long BuildId { get; set; }
    public string Name { get; set; } = "";
    public long ResourceId { get; set; }
    public string ResourceName { get; set; } = "";
    public long VersionId { get; set; }
    public string Version { get; set; } = "";
    public string Metadata { get; set; } = "";
    public bool FirstOccurrence { get; set; }
}

internal sealed class BuildOutputRow
{
    public long BuildId { get; set; }
    public long ResourceId { get; set; }
    public string ResourceName { get; set; } = "";
    public long VersionId { get; set; }
    public string Version { get; set; } = "";
    public string Metadata { get; set; } = "";
}
