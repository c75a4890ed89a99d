namespace Ferry.Storage.Builds;

/// <summary>
/// A history written straight into an existing pipeline (<c>ferry debug import-versions-db</c>): keys are the source's
/// own ids, resource and job ids are the pipeline's. A version is per resource: <see cref="ImportedVersion.Current"/>
/// ones go into the resource's current scope, the rest into an old one that builds may name but the resolver ignores.
/// </summary>
public sealed record HistoryImport(
    int PipelineId,
    IReadOnlyList<ImportedVersion> Versions,
    IReadOnlyList<ImportedBuild> Builds,
    IReadOnlyList<ImportedUse> Inputs,
    IReadOnlyList<ImportedUse> Outputs,
    IReadOnlyList<(long FromKey, long ToKey)> Pipes);

public sealed record ImportedVersion(int ResourceId, long Key, string Name, long CheckOrder, bool Current, bool Disabled);

public sealed record ImportedBuild(long Key, int JobId, bool Succeeded, long? RerunOfKey);

/// <param name="Name">The input name; unused for an output.</param>
public sealed record ImportedUse(long BuildKey, string Name, int ResourceId, long VersionKey);

/// <summary>How many rows an import wrote.</summary>
public sealed record HistoryImported(int Versions, int Builds, int Inputs, int Outputs, int Pipes);
