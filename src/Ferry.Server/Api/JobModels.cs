using Ferry.Core.Builds;
using Ferry.Storage;

namespace Ferry.Server.Api;

/// <param name="FinishedBuild">The newest build that ended.</param>
/// <param name="NextBuild">The newest build still pending or started.</param>
public sealed record JobSummary(string Pipeline, string Name, bool Paused, int BuildCount, BuildSummary? FinishedBuild, BuildSummary? NextBuild)
{
    internal static JobSummary From(PipelineRecord pipeline, JobRecord job, IReadOnlyList<BuildRecord> newest) => new(
        pipeline.Name, job.Name, job.Paused, job.BuildCount,
        newest.Where(b => b.Status.IsFinal()).Select(BuildSummary.From).FirstOrDefault(),
        newest.Where(b => !b.Status.IsFinal()).Select(BuildSummary.From).FirstOrDefault());
}

/// <param name="ClaimedBy">The server node (its id, <c>GET /api/v1/nodes</c>) that runs or ran the build; null while pending.</param>
public sealed record BuildSummary(
    long Id,
    string Name,
    string? Pipeline,
    string? Job,
    BuildStatus Status,
    DateTime CreatedAt,
    DateTime? StartedAt,
    DateTime? EndedAt,
    long? RerunOf,
    string? CreatedBy,
    string? Reason,
    bool AbortRequested,
    string? ClaimedBy)
{
    internal static BuildSummary From(BuildRecord b) => new(
        b.Id, b.Name, b.PipelineName, b.JobName, b.Status, b.CreatedAt.UtcDateTime, b.StartedAt?.UtcDateTime, b.EndedAt?.UtcDateTime,
        b.RerunOf, b.CreatedBy, b.Reason, b.AbortRequested, b.ClaimedBy);
}

public sealed record BuildDetail(BuildSummary Build, IReadOnlyList<BuildInput> Inputs, IReadOnlyList<BuildOutput> Outputs);

public sealed record BuildInput(string Name, string Resource, long VersionId, IReadOnlyDictionary<string, string> Version, bool FirstOccurrence);

public sealed record BuildOutput(string Resource, long VersionId, IReadOnlyDictionary<string, string> Version);

/// <summary>One page of builds, newest first; pass <see cref="NextBefore"/> as <c>before</c> for the next page.</summary>
public sealed record BuildList(IReadOnlyList<BuildSummary> Items, long? NextBefore);
