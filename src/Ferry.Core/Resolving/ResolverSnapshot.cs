namespace Ferry.Core.Resolving;

/// <summary>
/// Everything the resolver reads about one pipeline, in memory and indexed: resources, jobs, each resource's versions
/// in its current scope, builds with what they vouch for, reruns and build pipes. Built once (from the store, or
/// from a versions dump) and then resolved against for any job of the pipeline. Immutable after construction.
/// </summary>
public sealed class ResolverSnapshot
{
    private readonly Dictionary<string, int> _resourceIds = new(StringComparer.Ordinal);
    private readonly Dictionary<int, string> _resourceNames = [];
    private readonly Dictionary<string, int> _jobIds = new(StringComparer.Ordinal);
    private readonly Dictionary<int, string> _jobNames = [];
    private readonly Dictionary<int, ResourceVersions> _versions = [];
    private readonly Dictionary<int, JobBuilds> _jobBuilds = [];
    private readonly Dictionary<long, BuildRecord> _builds = [];
    private readonly Dictionary<long, List<long>> _pipesInto = [];

    /// <summary>Builds a snapshot from plain lists (see <see cref="ResolverSnapshotBuilder"/> for a fluent way).</summary>
    /// <exception cref="ArgumentException">A row names a build, resource or job that is not in the lists.</exception>
    public ResolverSnapshot(
        IEnumerable<SnapshotResource> resources,
        IEnumerable<SnapshotJob> jobs,
        IEnumerable<SnapshotVersion> versions,
        IEnumerable<SnapshotBuild> builds,
        IEnumerable<SnapshotBuildOutput> outputs,
        IEnumerable<SnapshotBuildInput> inputs,
        IEnumerable<SnapshotBuildPipe>? pipes = null)
    {
        foreach (var r in resources)
        {
            _resourceIds[r.Name] = r.Id;
            _resourceNames[r.Id] = r.Name;
        }
        foreach (var j in jobs)
        {
            _jobIds[j.Name] = j.Id;
            _jobNames[j.Id] = j.Name;
        }
        IndexVersions(versions);
        IndexBuilds(builds, outputs, inputs);
        foreach (var p in pipes ?? [])
        {
            if (!_pipesInto.TryGetValue(p.ToBuildId, out var from))
            {
                _pipesInto[p.ToBuildId] = from = [];
            }
            from.Add(p.FromBuildId);
        }
    }

    public IReadOnlyDictionary<string, int> ResourceIds => _resourceIds;
    public IReadOnlyDictionary<string, int> JobIds => _jobIds;

    /// <summary>How many versions the snapshot holds (all resources).</summary>
    public int VersionCount => _versions.Values.Sum(v => v.Count);

    internal string ResourceName(int id) => _resourceNames.TryGetValue(id, out var n) ? n : $"#{id}";
    internal string JobName(int id) => _jobNames.TryGetValue(id, out var n) ? n : $"#{id}";
    internal ResourceVersions VersionsOf(int resourceId) => _versions.GetValueOrDefault(resourceId, ResourceVersions.Empty);
    internal JobBuilds BuildsOf(int jobId) => _jobBuilds.GetValueOrDefault(jobId, JobBuilds.Empty);
    internal BuildRecord? Build(long id) => _builds.GetValueOrDefault(id);
    internal IReadOnlyList<long> PipesInto(long buildId) => _pipesInto.TryGetValue(buildId, out var l) ? l : [];

    private void IndexVersions(IEnumerable<SnapshotVersion> versions)
    {
        var byResource = new Dictionary<int, List<SnapshotVersion>>();
        foreach (var v in versions)
        {
            if (!byResource.TryGetValue(v.ResourceId, out var list))
            {
                byResource[v.ResourceId] = list = [];
            }
            list.Add(v);
        }
        foreach (var (resourceId, list) in byResource)
        {
            _versions[resourceId] = new ResourceVersions(list);
        }
    }

    private void IndexBuilds(IEnumerable<SnapshotBuild> builds, IEnumerable<SnapshotBuildOutput> outputs, IEnumerable<SnapshotBuildInput> inputs)
    {
        foreach (var b in builds)
        {
            _builds[b.Id] = new BuildRecord(b.Id, b.JobId, b.Succeeded, b.RerunOf);
        }
        var vouches = new Dictionary<long, (List<VersionRef> Outputs, List<VersionRef> Inputs)>();
        List<VersionRef> ListFor(long buildId, bool output, string what)
        {
            if (!_builds.ContainsKey(buildId))
            {
                throw new ArgumentException($"{what} names build {buildId}, which is not in the snapshot's builds");
            }
            if (!vouches.TryGetValue(buildId, out var pair))
            {
                vouches[buildId] = pair = ([], []);
            }
            return output ? pair.Outputs : pair.Inputs;
        }
        foreach (var o in outputs)
        {
            ListFor(o.BuildId, true, "a build output").Add(new VersionRef(o.ResourceId, o.VersionId));
        }
        foreach (var i in inputs)
        {
            ListFor(i.BuildId, false, $"build input '{i.InputName}'").Add(new VersionRef(i.ResourceId, i.VersionId));
            _builds[i.BuildId].Inputs.Add(i);
        }
        foreach (var (buildId, (outs, ins)) in vouches)
        {
            // Outputs before inputs within a resource, as Concourse lists them; OrderBy is stable.
            _builds[buildId].Vouches = outs.Concat(ins).OrderBy(v => v.ResourceId).ToArray();
        }
        foreach (var group in _builds.Values.GroupBy(b => b.JobId))
        {
            _jobBuilds[group.Key] = new JobBuilds(group.ToList());
        }
    }
}
