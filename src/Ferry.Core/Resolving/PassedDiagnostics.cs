namespace Ferry.Core.Resolving;

/// <summary>Explains, for <c>ferry explain</c>, which passed job blocks each input of a failed group and why.</summary>
internal sealed class PassedDiagnostics
{
    private readonly ResolverSnapshot _snapshot;
    private readonly GroupInput[] _group;
    private readonly List<string> _jobNames;
    private readonly int[] _jobIds;

    // Per group job: for each succeeded build, which group inputs it carries a usable version for.
    private readonly Dictionary<int, List<bool[]>> _fitsByJob = [];

    private PassedDiagnostics(ResolverSnapshot snapshot, GroupInput[] group, List<string> jobNames, int[] jobIds)
    {
        _snapshot = snapshot;
        _group = group;
        _jobNames = jobNames;
        _jobIds = jobIds;
    }

    public static IReadOnlyList<InputBlocker>[] Explain(ResolverSnapshot snapshot, GroupInput[] group, List<string> jobNames, int[] jobIds)
    {
        var diagnostics = new PassedDiagnostics(snapshot, group, jobNames, jobIds);
        return Enumerable.Range(0, group.Length).Select(diagnostics.ExplainInput).ToArray();
    }

    private IReadOnlyList<InputBlocker> ExplainInput(int index)
    {
        var input = _group[index];
        var resource = input.Config.Resource;
        var blockers = new List<InputBlocker>();
        var usableByJob = new Dictionary<int, HashSet<long>>();
        foreach (var job in input.Jobs)
        {
            var name = _jobNames[job];
            if (!_snapshot.JobIds.ContainsKey(name))
            {
                blockers.Add(new InputBlocker(name, $"no job named '{name}'"));
                continue;
            }
            var builds = _snapshot.BuildsOf(_jobIds[job]);
            var usable = builds.Succeeded.SelectMany(b => b.Vouches).Where(v => Fits(input, v)).Select(v => v.VersionId).ToHashSet();
            usableByJob[job] = usable;
            if (builds.SucceededCount == 0)
            {
                blockers.Add(new InputBlocker(name, $"job '{name}' has no build that succeeded"));
            }
            else if (usable.Count == 0)
            {
                var what = input.PinnedVersionId is null ? "a version" : "the pinned version";
                blockers.Add(new InputBlocker(name, $"no build of job '{name}' that succeeded with {what} of '{resource}'"));
            }
        }
        if (blockers.Count > 0)
        {
            return blockers;
        }
        var jobs = input.Jobs;
        for (var a = 0; a < jobs.Length; a++)
        {
            for (var b = a + 1; b < jobs.Length; b++)
            {
                if (!usableByJob[jobs[a]].Overlaps(usableByJob[jobs[b]]))
                {
                    blockers.Add(new InputBlocker(_jobNames[jobs[b]],
                        $"versions of '{resource}' from '{_jobNames[jobs[a]]}' and '{_jobNames[jobs[b]]}' never met in the same builds"));
                }
            }
        }
        if (blockers.Count == 0)
        {
            blockers.AddRange(CrossInput(index));
        }
        if (blockers.Count == 0)
        {
            var all = string.Join(", ", _group.SelectMany(i => i.Jobs).Distinct().Select(j => $"'{_jobNames[j]}'"));
            blockers.Add(new InputBlocker(null, $"no set of builds of {all} agrees on one version for every input of this group"));
        }
        return blockers;
    }

    /// <summary>Another input shares a job with this one, but no build of that job carried versions usable for both.</summary>
    private IEnumerable<InputBlocker> CrossInput(int index)
    {
        var input = _group[index];
        for (var other = 0; other < _group.Length; other++)
        {
            if (other == index)
            {
                continue;
            }
            foreach (var job in input.Jobs.Where(j => _group[other].HasJob[j]))
            {
                if (!FitsOf(job).Any(fits => fits[index] && fits[other]))
                {
                    yield return new InputBlocker(_jobNames[job],
                        $"versions of '{input.Config.Resource}' and '{_group[other].Config.Resource}' from '{_jobNames[job]}' never met in the same builds");
                }
            }
        }
    }

    private List<bool[]> FitsOf(int job)
    {
        if (_fitsByJob.TryGetValue(job, out var cached))
        {
            return cached;
        }
        var list = new List<bool[]>();
        foreach (var build in _snapshot.BuildsOf(_jobIds[job]).Succeeded)
        {
            var fits = new bool[_group.Length];
            foreach (var v in build.Vouches)
            {
                for (var i = 0; i < _group.Length; i++)
                {
                    fits[i] |= _group[i].HasJob[job] && Fits(_group[i], v);
                }
            }
            list.Add(fits);
        }
        return _fitsByJob[job] = list;
    }

    private bool Fits(GroupInput input, VersionRef v)
    {
        if (v.ResourceId != input.ResourceId)
        {
            return false;
        }
        var versions = _snapshot.VersionsOf(v.ResourceId);
        return versions.Exists(v.VersionId) && !versions.IsDisabled(v.VersionId)
            && (input.PinnedVersionId is not { } pin || pin == v.VersionId);
    }
}
