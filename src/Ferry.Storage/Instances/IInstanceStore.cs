namespace Ferry.Storage.Instances;

/// <summary>
/// What Ferry knows of the instances environments are bound to: the snapshots it deployed there, took or saw, and the
/// drift of an instance from the snapshot last deployed there. The flows themselves stay in the snapshot cache.
/// </summary>
public interface IInstanceStore
{
    /// <summary>Records a snapshot; a deployed one ends the environment's drift (the deploy replaced what was drifted).</summary>
    Task<InstanceSnapshotRecord> AddInstanceSnapshotAsync(NewInstanceSnapshot snapshot, CancellationToken cancellationToken = default);

    /// <summary>Newest first.</summary>
    Task<IReadOnlyList<InstanceSnapshotRecord>> ListInstanceSnapshotsAsync(int environmentId, int limit = 100, CancellationToken cancellationToken = default);

    Task<InstanceSnapshotRecord?> GetInstanceSnapshotAsync(long id, CancellationToken cancellationToken = default);

    /// <summary>The snapshot Ferry deployed into the environment last; null before its first deploy.</summary>
    Task<InstanceSnapshotRecord?> GetDeployedSnapshotAsync(int environmentId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records that the instance runs <paramref name="live"/> (a drift snapshot) instead of <paramref name="deployedId"/>:
    /// a live state seen before is not recorded again, and the drift keeps the time it was first seen.
    /// </summary>
    Task<InstanceDriftRecord> RecordDriftAsync(int environmentId, long deployedId, NewInstanceSnapshot live, CancellationToken cancellationToken = default);

    /// <summary>The instance matches its deployed snapshot again; false when it had no drift.</summary>
    Task<bool> ClearDriftAsync(int environmentId, CancellationToken cancellationToken = default);

    Task<InstanceDriftRecord?> GetDriftAsync(int environmentId, CancellationToken cancellationToken = default);

    /// <summary>The drift of every environment of the pipeline that has one.</summary>
    Task<IReadOnlyList<InstanceDriftRecord>> ListDriftAsync(int pipelineId, CancellationToken cancellationToken = default);
}
