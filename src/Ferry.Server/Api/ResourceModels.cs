using Ferry.Core.Versions;
using Ferry.Storage;

namespace Ferry.Server.Api;

/// <summary>A resource and how its checks go. Its source and webhook token are never returned: they hold credentials.</summary>
public sealed record ResourceSummary(
    string Pipeline,
    string Name,
    string Type,
    string? CheckEvery,
    DateTime? LastCheckedAt,
    string? CheckError,
    DateTime? NextCheckAt,
    VersionSummary? PinnedVersion,
    bool PinnedInConfig,
    string? PinComment,
    bool HasWebhook)
{
    internal static ResourceSummary From(PipelineRecord pipeline, ResourceRecord r, VersionRecord? pinned) => new(
        pipeline.Name, r.Name, r.Type, r.Config["check_every"]?.ToString(), r.LastCheckedAt?.UtcDateTime, r.LastCheckError,
        r.NextCheckAt?.UtcDateTime, pinned is null ? null : VersionSummary.From(pinned), r.Config["version"] is not null,
        r.PinComment, !string.IsNullOrEmpty(r.WebhookToken));
}

public sealed record VersionSummary(long Id, IReadOnlyDictionary<string, string> Version, IReadOnlyList<MetadataField> Metadata, long CheckOrder, bool Enabled, DateTime CreatedAt)
{
    internal static VersionSummary From(VersionRecord v) =>
        new(v.Id, v.Version.Version, v.Version.Metadata, v.CheckOrder, !v.Disabled, v.CreatedAt.UtcDateTime);
}

/// <summary>One page of versions, newest first; pass <see cref="NextBefore"/> as <c>before</c> for the next page.</summary>
public sealed record VersionPageModel(IReadOnlyList<VersionSummary> Items, long? NextBefore);

/// <summary>Pin to the version with these fields (<c>{"ref": "3f2a"}</c>, one field of several is enough) or to a version id.</summary>
public sealed record PinRequest(Dictionary<string, string>? Version = null, long? VersionId = null, string? Comment = null);

public sealed record CheckRequested(string Pipeline, string Resource, DateTime RequestedAt);
