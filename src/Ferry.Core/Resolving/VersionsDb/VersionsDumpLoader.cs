using System.Text.Json;

namespace Ferry.Core.Resolving.VersionsDb;

/// <summary>
/// Reads a Concourse "versions DB" dump (JSON, already gunzipped by the caller) into a <see cref="ResolverSnapshot"/>,
/// with the semantics of corpus/concourse-versions-db/README.md: scopes, succeeded versus failed builds, reruns,
/// and the optional DisabledVersions and BuildPipes.
/// </summary>
public static class VersionsDumpLoader
{
    /// <exception cref="FormatException">The stream is not a versions dump; the message says what is wrong.</exception>
    public static VersionsDump Load(Stream json, string sourceName = "versions dump")
    {
        ArgumentNullException.ThrowIfNull(json);
        DumpFile dump;
        try
        {
            dump = JsonSerializer.Deserialize(json, DumpJsonContext.Default.DumpFile) ?? throw new FormatException($"{sourceName}: the file is empty (null)");
        }
        catch (JsonException e)
        {
            throw new FormatException($"{sourceName}: not a versions dump: {e.Message}", e);
        }
        if (dump.ResourceVersions is null)
        {
            throw new FormatException($"{sourceName}: not a versions dump: no 'ResourceVersions'");
        }
        return Build(dump);
    }

    private static VersionsDump Build(DumpFile dump)
    {
        var jobs = (dump.Jobs?.Select(j => new SnapshotJob(j.ID, j.Name))
            ?? (dump.JobIDs ?? dump.LegacyJobIDs ?? []).Select(p => new SnapshotJob(p.Value, p.Key))).ToList();
        var resources = dump.Resources?.Select(r => (r.ID, r.Name, Scope: r.ScopeID is null or 0 ? r.ID : r.ScopeID.Value)).ToList()
            ?? (dump.ResourceIDs ?? dump.LegacyResourceIDs ?? []).Select(p => (ID: p.Value, Name: p.Key, Scope: p.Value)).ToList();

        var resourcesByScope = resources.ToLookup(r => r.Scope, r => r.ID);
        var disabled = (dump.DisabledVersions ?? []).Select(d => (d.ResourceID, d.VersionID)).ToHashSet();
        var versions = new List<SnapshotVersion>(dump.ResourceVersions!.Count);
        var names = new Dictionary<long, string>(dump.ResourceVersions.Count);
        foreach (var v in dump.ResourceVersions)
        {
            names.TryAdd(v.VersionID, $"imported-r{v.ResourceID}v{v.VersionID}");
            var scope = v.ScopeID is null or 0 ? v.ResourceID : v.ScopeID.Value;
            // A version counts for every resource whose current scope it is in.
            foreach (var resourceId in resourcesByScope[scope])
            {
                versions.Add(new SnapshotVersion(resourceId, v.VersionID, v.CheckOrder, disabled.Contains((resourceId, v.VersionID))));
            }
        }

        var builds = new Dictionary<long, SnapshotBuild>();
        foreach (var o in dump.BuildOutputs ?? [])
        {
            builds.TryAdd(o.BuildID, new SnapshotBuild(o.BuildID, o.JobID, Succeeded: true));
        }
        foreach (var i in dump.BuildInputs ?? [])
        {
            builds.TryAdd(i.BuildID, new SnapshotBuild(i.BuildID, i.JobID, Succeeded: false));
        }
        foreach (var r in dump.BuildReruns ?? [])
        {
            builds.TryAdd(r.RerunOf, new SnapshotBuild(r.RerunOf, r.JobID, Succeeded: false));
        }
        foreach (var r in dump.BuildReruns ?? [])
        {
            if (builds.TryGetValue(r.BuildID, out var b))
            {
                builds[r.BuildID] = b with { RerunOf = r.RerunOf };
            }
        }

        var outputs = (dump.BuildOutputs ?? []).Select(o => new SnapshotBuildOutput(o.BuildID, o.ResourceID, o.VersionID)).ToList();
        var inputs = (dump.BuildInputs ?? []).Select(i => new SnapshotBuildInput(i.BuildID, i.InputName ?? "", i.ResourceID, i.VersionID)).ToList();
        var pipes = (dump.BuildPipes ?? []).Select(p => new SnapshotBuildPipe(p.FromBuildID, p.ToBuildID)).ToList();
        var snapshotResources = resources.Select(r => new SnapshotResource(r.ID, r.Name)).ToList();
        var buildList = builds.Values.ToList();
        var snapshot = new ResolverSnapshot(snapshotResources, jobs, versions, buildList, outputs, inputs, pipes);
        return new VersionsDump(snapshot, names, new VersionsDumpRows(snapshotResources, jobs, versions, buildList, outputs, inputs, pipes));
    }
}
