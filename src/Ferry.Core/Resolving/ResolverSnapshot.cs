namespace Ferry.Core.Resolving;

/// <summary>
/// Everything the resolver reads about one pipeline, in memory and indexed: resources, jobs, each resource's versions
/// in its current scope, builds with what they vouch for, reruns and build pipes. Built once (from the store, or
/// from a versions dump) and then resolved against for any job of the pipeline. Immutable after construction:
/// <see cref="Apply"/> returns a new snapshot that shares every resource and job the change did not touch, so a
/// scheduler keeps one per pipeline and folds in only what is new, and passes that run at once each hold their own.
/// </summary>
/// <remarks>
/// From the store: every resource and job of the pipeline; each resource's versions of its current config scope with
/// their check order and disabled flag; every build of every job (succeeded or not, with the build it reruns); the
/// outputs of succeeded builds and the inputs of all builds (input name, resource, version); all build pipes. A job's
/// own builds are its history: what <c>every</c> resumes from and what first occurrence is judged against.
/// </remarks>
public sealed partial class ResolverSnapshot
{
    private readonly Dictionary<string, int> _resourceIds = new(StringComparer.Ordinal);
    private readonly Dictionary<int, string> _resourceNames = [];
    private readonly Dictionary<string, int> _jobIds = new(StringComparer.Ordinal);
    private readonly Dictionary<int, string> _jobNames = [];
    private readonly Dictionary<int, ResourceVersions> _versions = [];
    private readonly Dictionary<int, JobBuilds> _jobBuilds = [];
    private readonly Dictionary<long, ResolverBuild> _builds = [];
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

    // Copy for Apply: the maps are copied (cheap: they hold references), the versions and builds they point to are shared.
    private ResolverSnapshot(ResolverSnapshot from)
    {
        _resourceIds = from._resourceIds;
        _resourceNames = from._resourceNames;
        _jobIds = from._jobIds;
        _jobNames = from._jobNames;
        _versions = new Dictionary<int, ResourceVersions>(from._versions);
        _jobBuilds = new Dictionary<int, JobBuilds>(from._jobBuilds);
        _builds = new Dictionary<long, ResolverBuild>(from._builds);
        _pipesInto = new Dictionary<long, List<long>>(from._pipesInto);
    }

    public IReadOnlyDictionary<string, int> ResourceIds => _resourceIds;
    public IReadOnlyDictionary<string, int> JobIds => _jobIds;

    /// <summary>How many versions the snapshot holds (all resources).</summary>
    public int VersionCount => _versions.Values.Sum(v => v.Count);

    internal string ResourceName(int id) => _resourceNames.TryGetValue(id, out var n) ? n : $"#{id}";
    internal string JobName(int id) => _jobNames.TryGetValue(id, out var n) ? n : $"#{id}";
    internal ResourceVersions VersionsOf(int resourceId) => _versions.GetValueOrDefault(resourceId, ResourceVersions.Empty);
    internal JobBuilds BuildsOf(int jobId) => _jobBuilds.GetValueOrDefault(jobId, JobBuilds.Empty);
    internal ResolverBuild? Build(long id) => _builds.GetValueOrDefault(id);
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
            _builds[b.Id] = new ResolverBuild(b.Id, b.JobId, b.Succeeded, b.RerunOf);
        }
        var outputList = outputs as IReadOnlyCollection<SnapshotBuildOutput> ?? outputs.ToList();
        var inputList = inputs as IReadOnlyCollection<SnapshotBuildInput> ?? inputs.ToList();
        // Two passes (count, then fill) keep this to one array per build, whatever the history size.
        var counts = new Dictionary<long, int>(_builds.Count);
        foreach (var o in outputList)
        {
            Count(counts, o.BuildId, "a build output");
        }
        foreach (var i in inputList)
        {
            Count(counts, i.BuildId, $"build input '{i.InputName}'");
        }
        var filled = new Dictionary<long, int>(counts.Count);
        foreach (var (buildId, count) in counts)
        {
            _builds[buildId].Vouches = new VersionRef[count];
            filled[buildId] = 0;
        }
        // Outputs before inputs within a resource, as Concourse lists them.
        foreach (var o in outputList)
        {
            Fill(filled, o.BuildId, new VersionRef(o.ResourceId, o.VersionId));
        }
        var inputsByJob = new Dictionary<int, List<SnapshotBuildInput>>();
        foreach (var i in inputList)
        {
            Fill(filled, i.BuildId, new VersionRef(i.ResourceId, i.VersionId));
            var jobId = _builds[i.BuildId].JobId;
            if (!inputsByJob.TryGetValue(jobId, out var list))
            {
                inputsByJob[jobId] = list = [];
            }
            list.Add(i);
        }
        foreach (var buildId in counts.Keys)
        {
            SortByResourceStable(_builds[buildId].Vouches);
        }
        var buildsByJob = new Dictionary<int, List<ResolverBuild>>();
        foreach (var b in _builds.Values)
        {
            if (!buildsByJob.TryGetValue(b.JobId, out var list))
            {
                buildsByJob[b.JobId] = list = [];
            }
            list.Add(b);
        }
        foreach (var (jobId, list) in buildsByJob)
        {
            _jobBuilds[jobId] = new JobBuilds(list, inputsByJob.GetValueOrDefault(jobId, []));
        }
    }

    private void Count(Dictionary<long, int> counts, long buildId, string what)
    {
        if (!_builds.ContainsKey(buildId))
        {
            throw new ArgumentException($"{what} names build {buildId}, which is not in the snapshot's builds");
        }
        counts[buildId] = counts.GetValueOrDefault(buildId) + 1;
    }

    private void Fill(Dictionary<long, int> filled, long buildId, VersionRef version)
    {
        var at = filled[buildId];
        _builds[buildId].Vouches[at] = version;
        filled[buildId] = at + 1;
    }

    // Insertion sort: stable, and a build vouches for a handful of versions.
    private static void SortByResourceStable(VersionRef[] vouches)
    {
        for (var i = 1; i < vouches.Length; i++)
        {
            var item = vouches[i];
            var j = i - 1;
            while (j >= 0 && vouches[j].ResourceId > item.ResourceId)
            {
                vouches[j + 1] = vouches[j];
                j--;
            }
            vouches[j + 1] = item;
        }
    }
}
