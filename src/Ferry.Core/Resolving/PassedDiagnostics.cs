namespace Ferry.Core.Resolving;

/// <summary>Explains, for <c>ferry explain</c>, which passed job blocks a failed input and why.</summary>
internal static class PassedDiagnostics
{
    public static IReadOnlyList<InputBlocker> Explain(ResolverSnapshot snapshot, GroupInput[] group, GroupInput input, List<string> jobNames, int[] jobIds)
    {
        var blockers = new List<InputBlocker>();
        var resource = input.Config.Resource;
        var usableByJob = new Dictionary<int, HashSet<long>>();
        foreach (var job in input.Jobs)
        {
            var name = jobNames[job];
            if (!snapshot.JobIds.ContainsKey(name))
            {
                blockers.Add(new InputBlocker(name, $"no job named '{name}'"));
                continue;
            }
            var builds = snapshot.BuildsOf(jobIds[job]);
            var usable = Usable(snapshot, input, builds);
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
                    blockers.Add(new InputBlocker(jobNames[jobs[b]],
                        $"versions of '{resource}' from '{jobNames[jobs[a]]}' and '{jobNames[jobs[b]]}' never met in the same builds"));
                }
            }
        }
        if (blockers.Count == 0)
        {
            blockers.AddRange(CrossInput(snapshot, group, input, jobNames, jobIds));
        }
        if (blockers.Count == 0)
        {
            var all = string.Join(", ", group.SelectMany(i => i.Jobs).Distinct().Select(j => $"'{jobNames[j]}'"));
            blockers.Add(new InputBlocker(null, $"no set of builds of {all} agrees on one version for every input of this group"));
        }
        return blockers;
    }

    /// <summary>Another input shares a job with this one, but no build of that job carried versions usable for both.</summary>
    private static IEnumerable<InputBlocker> CrossInput(ResolverSnapshot snapshot, GroupInput[] group, GroupInput input, List<string> jobNames, int[] jobIds)
    {
        foreach (var other in group)
        {
            if (ReferenceEquals(other, input))
            {
                continue;
            }
            foreach (var job in input.Jobs.Where(j => other.HasJob[j]))
            {
                var met = snapshot.BuildsOf(jobIds[job]).Succeeded.Any(b =>
                    b.Vouches.Any(v => Fits(snapshot, input, v)) && b.Vouches.Any(v => Fits(snapshot, other, v)));
                if (!met)
                {
                    yield return new InputBlocker(jobNames[job],
                        $"versions of '{input.Config.Resource}' and '{other.Config.Resource}' from '{jobNames[job]}' never met in the same builds");
                }
            }
        }
    }

    private static HashSet<long> Usable(ResolverSnapshot snapshot, GroupInput input, JobBuilds builds)
    {
        var usable = new HashSet<long>();
        foreach (var build in builds.Succeeded)
        {
            foreach (var v in build.Vouches)
            {
                if (Fits(snapshot, input, v))
                {
                    usable.Add(v.VersionId);
                }
            }
        }
        return usable;
    }

    private static bool Fits(ResolverSnapshot snapshot, GroupInput input, VersionRef v)
    {
        if (v.ResourceId != input.ResourceId)
        {
            return false;
        }
        var versions = snapshot.VersionsOf(v.ResourceId);
        return versions.Exists(v.VersionId) && !versions.IsDisabled(v.VersionId)
            && (input.PinnedVersionId is not { } pin || pin == v.VersionId);
    }
}
