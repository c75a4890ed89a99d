using Ferry.Core.Resolving;

namespace Ferry.Storage.Builds;

/// <summary>
/// What a reader of a pipeline's resolver rows has seen, to read only what changed next time. Opaque to callers: pass
/// back the one the last read returned. Immutable, so a caller may keep it beside the snapshot it belongs to.
/// </summary>
/// <param name="ConfigNumber">The pipeline config the rows were read under: another one means resources, scopes and jobs changed.</param>
/// <param name="VersionsAfter">Every version with an id up to this one is in the rows read so far (with its current scope).</param>
/// <param name="BuildsAfter">Every build with an id up to this one is in the rows read so far.</param>
/// <param name="VersionEpochs">Each resource's version epoch (bumped when a version changes in place) when read.</param>
/// <param name="Unfinished">Builds that were pending or started: they are read again when they end.</param>
/// <param name="Marks">Highest ids seen while other transactions were open (PostgreSQL): they become the "after" ids once those ended.</param>
public sealed record ResolverCursor(
    int ConfigNumber,
    long VersionsAfter,
    long BuildsAfter,
    IReadOnlyDictionary<int, long> VersionEpochs,
    IReadOnlySet<long> Unfinished,
    IReadOnlyList<ResolverMark> Marks);

/// <summary>Ids <paramref name="Versions"/> and <paramref name="Builds"/> are complete once every transaction below <paramref name="Next"/> has ended.</summary>
public readonly record struct ResolverMark(long Versions, long Builds, long Next);

/// <summary>
/// One read of a pipeline's resolver rows: everything (<see cref="Full"/>, the first read or after the pipeline was set
/// again) or what changed since the cursor passed in (<see cref="Delta"/>); exactly one of them is set.
/// </summary>
public sealed record ResolverRead(ResolverRows? Full, ResolverDelta? Delta, ResolverCursor Cursor);
