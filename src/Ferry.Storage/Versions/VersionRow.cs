using Ferry.Storage.Sql;

namespace Ferry.Storage.Versions;

internal sealed class VersionRow
{
    public const string Columns = "id, resource_id, scope, version, metadata, check_order, disabled, created_at";

    public long Id { get; set; }
    public long ResourceId { get; set; }
    public long Scope { get; set; }
    public string Version { get; set; } = "";
    public string Metadata { get; set; } = "";
    public long CheckOrder { get; set; }
    public bool Disabled { get; set; }
    public long CreatedAt { get; set; }

    public VersionRecord ToRecord() =>
        new(Id, (int)ResourceId, (int)Scope, Col.Version(Version, Metadata), CheckOrder, Disabled, Col.Time(CreatedAt));
}
