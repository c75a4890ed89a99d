using Ferry.Storage.Sql;

namespace Ferry.Storage.Instances;

internal sealed class InstanceSnapshotRow
{
    public const string Columns = "id, environment_id, kind, hash, shape, rev, nodes, promotion_id, release_number, made_by, made_at, forced";

    public long Id { get; set; }
    public long EnvironmentId { get; set; }
    public string Kind { get; set; } = "";
    public string Hash { get; set; } = "";
    public string Shape { get; set; } = "";
    public string? Rev { get; set; }
    public long Nodes { get; set; }
    public long? PromotionId { get; set; }
    public long? ReleaseNumber { get; set; }
    public string MadeBy { get; set; } = "";
    public long MadeAt { get; set; }
    public bool Forced { get; set; }

    public InstanceSnapshotRecord ToRecord() => new(Id, (int)EnvironmentId, InstanceSnapshotKinds.Parse(Kind), Hash, Shape, Rev, (int)Nodes,
        PromotionId, (int?)ReleaseNumber, MadeBy, Col.Time(MadeAt), Forced);
}

internal sealed class InstanceDriftRow
{
    public long EnvironmentId { get; set; }
    public string Environment { get; set; } = "";
    public long DeployedId { get; set; }
    public long LiveId { get; set; }
    public long Since { get; set; }
}
