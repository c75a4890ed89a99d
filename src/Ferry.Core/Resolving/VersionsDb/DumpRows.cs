using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;

namespace Ferry.Core.Resolving.VersionsDb;

// The shapes of Concourse's versions-db export; property names are the JSON keys as written.
[SuppressMessage("Naming", "CA1707", Justification = "JSON keys")]
internal sealed class DumpFile
{
    public List<DumpNamed>? Jobs { get; set; }
    public List<DumpResource>? Resources { get; set; }
    public Dictionary<string, int>? JobIDs { get; set; }
    public Dictionary<string, int>? ResourceIDs { get; set; }
    public Dictionary<string, int>? LegacyJobIDs { get; set; }
    public Dictionary<string, int>? LegacyResourceIDs { get; set; }
    public List<DumpVersion>? ResourceVersions { get; set; }
    public List<DumpBuildVersion>? BuildOutputs { get; set; }
    public List<DumpBuildVersion>? BuildInputs { get; set; }
    public List<DumpRerun>? BuildReruns { get; set; }
    public List<DumpDisabled>? DisabledVersions { get; set; }
    public List<DumpPipe>? BuildPipes { get; set; }
}

internal sealed class DumpNamed
{
    public string Name { get; set; } = "";
    public int ID { get; set; }
}

internal sealed class DumpResource
{
    public string Name { get; set; } = "";
    public int ID { get; set; }
    public int? ScopeID { get; set; }
}

internal sealed class DumpVersion
{
    public long VersionID { get; set; }
    public int ResourceID { get; set; }
    public long CheckOrder { get; set; }
    public int? ScopeID { get; set; }
}

internal sealed class DumpBuildVersion
{
    public long VersionID { get; set; }
    public int ResourceID { get; set; }
    public long BuildID { get; set; }
    public int JobID { get; set; }
    public string? InputName { get; set; }
}

internal sealed class DumpRerun
{
    public long BuildID { get; set; }
    public int JobID { get; set; }
    public long RerunOf { get; set; }
}

internal sealed class DumpDisabled
{
    public int ResourceID { get; set; }
    public long VersionID { get; set; }
}

internal sealed class DumpPipe
{
    public long FromBuildID { get; set; }
    public long ToBuildID { get; set; }
}

// Source-generated: no reflection when reading tens of megabytes of dump.
[JsonSerializable(typeof(DumpFile))]
internal sealed partial class DumpJsonContext : JsonSerializerContext;
