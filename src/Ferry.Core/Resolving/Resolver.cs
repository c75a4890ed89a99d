namespace Ferry.Core.Resolving;

/// <summary>
/// Chooses the versions of a job's inputs the way Concourse does (DESIGN.md "Resolver semantics"): inputs without
/// passed resolve alone (latest, every or pinned); inputs with passed are grouped by the jobs they share and each group
/// is solved together; groups do not block each other.
/// </summary>
public static class Resolver
{
    /// <summary>Resolves <paramref name="inputs"/> for the job named <paramref name="jobName"/> (a job the snapshot does not know is a new job).</summary>
    public static Resolution Resolve(ResolverSnapshot snapshot, string jobName, IReadOnlyList<InputConfig> inputs)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(inputs);
        var history = snapshot.JobIds.TryGetValue(jobName, out var jobId) ? snapshot.BuildsOf(jobId) : null;
        var values = new Dictionary<string, ResolvedInput>(StringComparer.Ordinal);
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        var blockers = new Dictionary<string, IReadOnlyList<InputBlocker>>(StringComparer.Ordinal);
        var hasNext = false;

        void Chosen(InputConfig input, int resourceId, long versionId, IReadOnlyList<long> passedBuilds, bool next)
        {
            var first = History.IsFirstOccurrence(history, input.Name, resourceId, versionId);
            values[input.Name] = new ResolvedInput(versionId, resourceId, first, passedBuilds);
            hasNext |= next;
        }

        foreach (var input in inputs.Where(i => !i.HasPassed))
        {
            var resourceId = ResourceId(snapshot, input);
            var (versionId, next, error) = IndividualResolver.Resolve(snapshot.VersionsOf(resourceId), input, history, resourceId);
            if (error is not null)
            {
                errors[input.Name] = error;
            }
            else
            {
                Chosen(input, resourceId, versionId, [], next);
            }
        }

        foreach (var group in PassedGroups.Of(inputs.Where(i => i.HasPassed).ToList()))
        {
            var result = PassedGroups.Solve(snapshot, group, history);
            for (var i = 0; i < group.Count; i++)
            {
                if (result.Error is not null)
                {
                    errors[group[i].Name] = result.Error;
                    blockers[group[i].Name] = result.Blockers[i];
                }
                else
                {
                    var c = result.Candidates![i];
                    Chosen(group[i], ResourceId(snapshot, group[i]), c.VersionId, c.SourceBuildIds, c.HasNext);
                }
            }
        }

        var ok = errors.Count == 0;
        var triggers = ok && inputs.Any(i => i.Trigger && values[i.Name].FirstOccurrence);
        return new Resolution(values, errors, blockers, hasNext, triggers);
    }

    internal static int ResourceId(ResolverSnapshot snapshot, InputConfig input) =>
        snapshot.ResourceIds.TryGetValue(input.Resource, out var id) ? id : int.MinValue;
}
