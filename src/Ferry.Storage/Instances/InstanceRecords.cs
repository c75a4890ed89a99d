namespace Ferry.Storage.Instances;

/// <summary>How a snapshot of an instance came to be.</summary>
public enum InstanceSnapshotKind
{
    /// <summary>Ferry deployed it (a promotion or a rollback).</summary>
    Deployed,
    /// <summary>Ferry saw the instance run it instead of what it deployed (edited by hand).</summary>
    Drift,
    /// <summary>A person asked for a snapshot of the instance now.</summary>
    Taken,
}

public static class InstanceSnapshotKinds
{
    public static string ToText(this InstanceSnapshotKind kind) => kind switch
    {
        InstanceSnapshotKind.Deployed => "deployed",
        InstanceSnapshotKind.Drift => "drift",
        _ => "taken",
    };

    public static InstanceSnapshotKind Parse(string text) => text switch
    {
        "deployed" => InstanceSnapshotKind.Deployed,
        "drift" => InstanceSnapshotKind.Drift,
        "taken" => InstanceSnapshotKind.Taken,
        _ => throw new StoreException($"instance snapshot kind '{text}' is unknown"),
    };
}

/// <param name="Hash">The flows' content hash: their key in the snapshot cache.</param>
/// <param name="Shape">The hash of the flows without environment values: drift is judged by it.</param>
/// <param name="Forced">A deploy that overwrote drift because a person forced it.</param>
public sealed record NewInstanceSnapshot(int EnvironmentId, InstanceSnapshotKind Kind, string Hash, string Shape, string? Rev, int Nodes,
    string MadeBy, DateTimeOffset MadeAt, long? PromotionId = null, int? ReleaseNumber = null, bool Forced = false);

public sealed record InstanceSnapshotRecord(long Id, int EnvironmentId, InstanceSnapshotKind Kind, string Hash, string Shape, string? Rev, int Nodes,
    long? PromotionId, int? ReleaseNumber, string MadeBy, DateTimeOffset MadeAt, bool Forced);

/// <param name="Since">When the drift was first seen.</param>
public sealed record InstanceDriftRecord(int EnvironmentId, string Environment, InstanceSnapshotRecord Deployed, InstanceSnapshotRecord Live, DateTimeOffset Since);
