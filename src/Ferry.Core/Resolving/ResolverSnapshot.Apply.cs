using System.Globalization;
using System.Text;

namespace Ferry.Core.Resolving;

public sealed partial class ResolverSnapshot
{
    /// <summary>
    /// A new snapshot with <paramref name="delta"/> folded in; this one stays as it was (a pass still resolving against
    /// it is not disturbed). Only the resources and jobs the delta touches are rebuilt, so the cost follows the change
    /// and the touched job's own history, not the pipeline's whole history.
    /// </summary>
    /// <exception cref="ArgumentException">An output, input or pipe names a build that is not among the delta's builds.</exception>
    public ResolverSnapshot Apply(ResolverDelta delta)
    {
        if (delta.IsEmpty)
        {
            return this;
        }
        var next = new ResolverSnapshot(this);
        next.ApplyVersions(delta);
        next.ApplyBuilds(delta);
        return next;
    }

    private void ApplyVersions(ResolverDelta delta)
    {
        foreach (var (resourceId, list) in delta.ReloadedResources)
        {
            _versions[resourceId] = new ResourceVersions([.. list]);
        }
        var byResource = new Dictionary<int, List<SnapshotVersion>>();
        foreach (var v in delta.Versions)
        {
            if (delta.ReloadedResources.ContainsKey(v.ResourceId))
            {
                continue;
            }
            if (!byResource.TryGetValue(v.ResourceId, out var list))
            {
                byResource[v.ResourceId] = list = [];
            }
            list.Add(v);
        }
        foreach (var (resourceId, list) in byResource)
        {
            _versions[resourceId] = VersionsOf(resourceId).With(list);
        }
    }

    private void ApplyBuilds(ResolverDelta delta)
    {
        if (delta.Builds.Count == 0)
        {
            return;
        }
        var touchedJobs = new HashSet<int>();
        var changed = new Dictionary<long, ResolverBuild>(delta.Builds.Count);
        foreach (var b in delta.Builds)
        {
            if (_builds.TryGetValue(b.Id, out var old))
            {
                touchedJobs.Add(old.JobId);
            }
            var build = new ResolverBuild(b.Id, b.JobId, b.Succeeded, b.RerunOf);
            _builds[b.Id] = changed[b.Id] = build;
            touchedJobs.Add(b.JobId);
            // The delta lists every pipe into a build it carries: the old list goes (a list is never changed in place, an older snapshot may hold it).
            _pipesInto.Remove(b.Id);
        }
        // Same order as the full build: outputs, then inputs, then grouped by resource (stable).
        var vouches = new Dictionary<long, List<VersionRef>>();
        foreach (var o in delta.Outputs)
        {
            VouchList(vouches, changed, o.BuildId, "a build output").Add(new VersionRef(o.ResourceId, o.VersionId));
        }
        var inputsByJob = new Dictionary<int, List<SnapshotBuildInput>>();
        foreach (var i in delta.Inputs)
        {
            VouchList(vouches, changed, i.BuildId, $"build input '{i.InputName}'").Add(new VersionRef(i.ResourceId, i.VersionId));
            var jobId = changed[i.BuildId].JobId;
            if (!inputsByJob.TryGetValue(jobId, out var list))
            {
                inputsByJob[jobId] = list = [];
            }
            list.Add(i);
        }
        foreach (var (buildId, list) in vouches)
        {
            var array = list.ToArray();
            SortByResourceStable(array);
            changed[buildId].Vouches = array;
        }
        foreach (var p in delta.Pipes)
        {
            if (!changed.ContainsKey(p.ToBuildId))
            {
                throw new ArgumentException($"a build pipe names build {p.ToBuildId}, which is not among the delta's builds");
            }
            if (!_pipesInto.TryGetValue(p.ToBuildId, out var from))
            {
                _pipesInto[p.ToBuildId] = from = [];
            }
            from.Add(p.FromBuildId);
        }
        foreach (var jobId in touchedJobs)
        {
            var old = BuildsOf(jobId);
            var all = new List<ResolverBuild>(old.All.Count + 1);
            foreach (var b in old.All)
            {
                if (!changed.ContainsKey(b.Id))
                {
                    all.Add(b);
                }
            }
            var inputs = new List<SnapshotBuildInput>(old.Inputs.Count + 4);
            foreach (var i in old.Inputs)
            {
                if (!changed.ContainsKey(i.BuildId))
                {
                    inputs.Add(i);
                }
            }
            foreach (var b in changed.Values)
            {
                if (b.JobId == jobId)
                {
                    all.Add(b);
                }
            }
            inputs.AddRange(inputsByJob.GetValueOrDefault(jobId, []));
            _jobBuilds[jobId] = new JobBuilds(all, inputs);
        }
    }

    private static List<VersionRef> VouchList(Dictionary<long, List<VersionRef>> vouches, Dictionary<long, ResolverBuild> changed, long buildId, string what)
    {
        if (!changed.ContainsKey(buildId))
        {
            throw new ArgumentException($"{what} names build {buildId}, which is not among the delta's builds");
        }
        if (!vouches.TryGetValue(buildId, out var list))
        {
            vouches[buildId] = list = [];
        }
        return list;
    }

    /// <summary>
    /// Everything the resolver reads, as text in a fixed order (ids ascending; versions in check order; what each
    /// build vouches for in the order the resolver walks it). Two snapshots that describe the same are the same to the
    /// resolver: the check that an incrementally kept snapshot equals one built from scratch.
    /// </summary>
    public string Describe()
    {
        var text = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        foreach (var id in _resourceNames.Keys.Order())
        {
            text.Append(c, $"resource {id} {_resourceNames[id]}\n");
        }
        foreach (var id in _jobNames.Keys.Order())
        {
            text.Append(c, $"job {id} {_jobNames[id]}\n");
        }
        foreach (var id in _versions.Keys.Order())
        {
            var versions = _versions[id];
            for (var p = 0; p < versions.Count; p++)
            {
                text.Append(c, $"version r{id} {versions.VersionIdAt(p)} order {versions.CheckOrderAt(p)}{(versions.IsDisabledAt(p) ? " disabled" : "")}\n");
            }
        }
        foreach (var id in _builds.Keys.Order())
        {
            var b = _builds[id];
            text.Append(c, $"build {id} job {b.JobId} {(b.Succeeded ? "succeeded" : "other")} rerun-of {b.RerunOf?.ToString(c) ?? "-"} vouches");
            foreach (var v in b.Vouches)
            {
                text.Append(c, $" r{v.ResourceId}:{v.VersionId}");
            }
            text.Append(" pipes-from");
            foreach (var from in PipesInto(id))
            {
                text.Append(c, $" {from}");
            }
            text.Append('\n');
        }
        foreach (var id in _jobBuilds.Keys.Order())
        {
            var builds = _jobBuilds[id];
            if (builds.All.Count == 0)
            {
                continue;
            }
            text.Append(c, $"job {id} builds {builds.All.Count} newest-first");
            foreach (var b in builds.Succeeded)
            {
                text.Append(c, $" {b.Id}");
            }
            text.Append(" inputs");
            foreach (var i in builds.Inputs.OrderBy(i => i.BuildId).ThenBy(i => i.InputName, StringComparer.Ordinal))
            {
                text.Append(c, $" {i.BuildId}/{i.InputName}=r{i.ResourceId}:{i.VersionId}");
            }
            text.Append('\n');
        }
        return text.ToString();
    }
}
