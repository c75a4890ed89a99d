using Ferry.Core.Builds;

namespace Ferry.Storage.Events;

public interface IBuildEventStore
{
    /// <summary>
    /// Appends events to a build in one transaction, numbering them from the build's last seq + 1 (the given
    /// <see cref="BuildEvent.Seq"/> and <see cref="BuildEvent.BuildId"/> are ignored). Committed before it returns.
    /// Returns the last seq. Appends for one build must not overlap (its runner is the only writer).
    /// </summary>
    Task<long> AppendEventsAsync(long buildId, IReadOnlyList<BuildEvent> events, CancellationToken cancellationToken = default);

    /// <summary>Events with seq greater than <paramref name="afterSeq"/>, in seq order, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<BuildEvent>> ReadEventsAsync(long buildId, long afterSeq = 0, int limit = 1000, CancellationToken cancellationToken = default);

    /// <summary>
    /// Events with seq less than <paramref name="beforeSeq"/>, the newest <paramref name="limit"/> of them, in seq order:
    /// paging back from the end of a long log.
    /// </summary>
    Task<IReadOnlyList<BuildEvent>> ReadEventsBeforeAsync(long buildId, long beforeSeq, int limit = 1000, CancellationToken cancellationToken = default);

    /// <summary>
    /// Every event with seq less than <paramref name="beforeSeq"/> that is not log output (steps started and finished,
    /// errors, warnings, status), in seq order: the outline of a build whose log is shown only in part.
    /// </summary>
    Task<IReadOnlyList<BuildEvent>> ReadOutlineEventsAsync(long buildId, long beforeSeq = long.MaxValue, CancellationToken cancellationToken = default);

    /// <summary>Whether the build has stored a <see cref="BuildEventType.Phase"/> event for <paramref name="phase"/>.</summary>
    Task<bool> HasPhaseAsync(long buildId, string phase, CancellationToken cancellationToken = default);

    /// <summary>Completes once the build has an event with seq greater than <paramref name="afterSeq"/> (at once if it already has).</summary>
    Task WaitForEventsAsync(long buildId, long afterSeq, CancellationToken cancellationToken);

    /// <summary>Retention: deletes the events of finished builds beyond the newest <paramref name="keepBuildsPerJob"/> of each job. Returns the number of events deleted.</summary>
    Task<int> PruneEventsAsync(int keepBuildsPerJob, CancellationToken cancellationToken = default);
}
