namespace Ferry.Core.Resolving;

/// <summary>A resource of the pipeline.</summary>
public readonly record struct SnapshotResource(int Id, string Name);

/// <summary>A job of the pipeline.</summary>
public readonly record struct SnapshotJob(int Id, string Name);

/// <summary>A version of a resource in the resource's current scope (versions of an old config are left out).</summary>
public readonly record struct SnapshotVersion(int ResourceId, long VersionId, long CheckOrder, bool Disabled = false);

/// <summary>A build; only succeeded builds vouch for versions. <paramref name="RerunOf"/> is the build it reruns.</summary>
public readonly record struct SnapshotBuild(long Id, int JobId, bool Succeeded, long? RerunOf = null);

/// <summary>A version a build produced (put, or the implicit get after it).</summary>
public readonly record struct SnapshotBuildOutput(long BuildId, int ResourceId, long VersionId);

/// <summary>A version a build used as the input named <paramref name="InputName"/>.</summary>
public readonly record struct SnapshotBuildInput(long BuildId, string InputName, int ResourceId, long VersionId);

/// <summary>Upstream build <paramref name="FromBuildId"/> fed build <paramref name="ToBuildId"/> through a passed constraint.</summary>
public readonly record struct SnapshotBuildPipe(long FromBuildId, long ToBuildId);
