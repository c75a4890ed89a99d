namespace Ferry.Core.Resolving;

/// <summary>Groups inputs with passed constraints by the jobs they share (transitively) and solves each group.</summary>
internal static class PassedGroups
{
    public sealed record Result(Candidate[]? Candidates, string? Error, IReadOnlyList<InputBlocker>[] Blockers);

    /// <summary>Connected groups, each in config order, ordered by their first input.</summary>
    public static List<List<InputConfig>> Of(List<InputConfig> inputs)
    {
        var parent = Enumerable.Range(0, inputs.Count).ToArray();
        int Find(int x) => parent[x] == x ? x : parent[x] = Find(parent[x]);
        var firstInputOfJob = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < inputs.Count; i++)
        {
            foreach (var job in inputs[i].Passed)
            {
                if (firstInputOfJob.TryGetValue(job, out var other))
                {
                    parent[Find(i)] = Find(other);
                }
                else
                {
                    firstInputOfJob[job] = i;
                }
            }
        }
        var groups = new Dictionary<int, List<InputConfig>>();
        var order = new List<int>();
        for (var i = 0; i < inputs.Count; i++)
        {
            var root = Find(i);
            if (!groups.TryGetValue(root, out var list))
            {
                groups[root] = list = [];
                order.Add(root);
            }
            list.Add(inputs[i]);
        }
        return order.Select(r => groups[r]).ToList();
    }

    public static Result Solve(ResolverSnapshot snapshot, List<InputConfig> group, JobBuilds? history)
    {
        // Jobs in id order, as Concourse tries them; a job the snapshot does not know has no builds and sorts last.
        var jobNames = group.SelectMany(i => i.Passed).Distinct(StringComparer.Ordinal)
            .OrderBy(n => snapshot.JobIds.TryGetValue(n, out var id) ? id : int.MaxValue).ThenBy(n => n, StringComparer.Ordinal)
            .ToList();
        var jobIds = jobNames.Select(n => snapshot.JobIds.TryGetValue(n, out var id) ? id : int.MinValue).ToArray();
        var inputs = new GroupInput[group.Count];
        for (var i = 0; i < group.Count; i++)
        {
            var config = group[i];
            var resourceId = Resolver.ResourceId(snapshot, config);
            long? pinned = null;
            if (config.IsPinned)
            {
                var pin = config.Pin ?? new VersionPin("(none)", null);
                if (pin.VersionId is not { } id || !snapshot.VersionsOf(resourceId).Exists(id))
                {
                    var error = ResolveErrors.PinnedVersionNotFound(pin.Text);
                    var why = new InputBlocker(null, $"pinned version {pin.Text} is not a version of '{config.Resource}'");
                    return new Result(null, error, group.Select(_ => (IReadOnlyList<InputBlocker>)[why]).ToArray());
                }
                pinned = id;
            }
            var jobs = config.Passed.Distinct(StringComparer.Ordinal).Select(n => jobNames.IndexOf(n)).Order().ToArray();
            inputs[i] = new GroupInput(config, resourceId, jobs, jobNames.Count, pinned);
        }
        var candidates = new GroupResolver(snapshot, inputs, jobIds, history).Resolve();
        if (candidates is not null)
        {
            return new Result(candidates, null, []);
        }
        var blockers = PassedDiagnostics.Explain(snapshot, inputs, jobNames, jobIds);
        return new Result(null, ResolveErrors.NoSatisfiableBuilds, blockers);
    }
}
