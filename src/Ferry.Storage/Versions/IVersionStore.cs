using Ferry.Core.Versions;

namespace Ferry.Storage.Versions;

public interface IVersionStore
{
    /// <summary>
    /// Saves the versions one check reported, oldest first, in the resource's current scope. As in Concourse, every
    /// reported version is placed after the highest check order so far, in the order given: new versions get the next
    /// check order, a known version reported again moves up unless it is already the newest. Metadata is replaced when given.
    /// Returns the stored versions in the order given.
    /// </summary>
    Task<IReadOnlyList<VersionRecord>> SaveVersionsAsync(int resourceId, IReadOnlyList<ResourceVersion> versions, CancellationToken cancellationToken = default);

    /// <summary>Versions of the resource's current scope, newest (highest check order) first.</summary>
    Task<VersionPage> ListVersionsAsync(int resourceId, VersionPageRequest page, CancellationToken cancellationToken = default);

    Task<VersionRecord?> GetVersionAsync(long versionId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Saves (or finds) a version outside the resource's checked history, in a scope no check, resolver or version list
    /// sees: a branch head that a per-pull-request environment's release carries.
    /// </summary>
    Task<VersionRecord> SaveDetachedVersionAsync(int resourceId, IReadOnlyDictionary<string, string> version, CancellationToken cancellationToken = default);

    /// <summary>The newest enabled version of the resource's current scope.</summary>
    Task<VersionRecord?> GetLatestVersionAsync(int resourceId, CancellationToken cancellationToken = default);

    /// <summary>
    /// The version with exactly these fields in the current scope; failing that, the newest one whose fields include all
    /// of them (<c>ferry pin -v ref:abc</c> names one field of a multi-field version).
    /// </summary>
    Task<VersionRecord?> FindVersionAsync(int resourceId, IReadOnlyDictionary<string, string> fields, CancellationToken cancellationToken = default);

    /// <summary>Disabled versions are never chosen as inputs. False when there is no such version.</summary>
    Task<bool> SetVersionDisabledAsync(long versionId, bool disabled, CancellationToken cancellationToken = default);
}

public sealed record VersionRecord(
    long Id,
    int ResourceId,
    int Scope,
    ResourceVersion Version,
    long CheckOrder,
    bool Disabled,
    DateTimeOffset CreatedAt);

/// <param name="BeforeCheckOrder">Start after this check order (the last one of the previous page); null for the newest.</param>
public sealed record VersionPageRequest(int Limit = 100, long? BeforeCheckOrder = null);

/// <param name="NextBeforeCheckOrder">Pass as <see cref="VersionPageRequest.BeforeCheckOrder"/> for the next page; null on the last page.</param>
public sealed record VersionPage(IReadOnlyList<VersionRecord> Versions, long? NextBeforeCheckOrder);
