using Ferry.Core.Pipelines.Steps;

namespace Ferry.Core.Pipelines;

/// <summary>Which resources each environment's releases carry.</summary>
/// <remarks>An explicit <c>release:</c> wins; an instance-bound environment carries its instance resource; otherwise
/// the release is what the <c>from</c> jobs get or put, plus what the <c>from</c> environments carry.</remarks>
public static class EnvironmentReleases
{
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Resolve(PipelineConfig config)
    {
        var result = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var visiting = new HashSet<string>(StringComparer.Ordinal);
        foreach (var environment in config.Environments)
        {
            Resolve(config, environment, result, visiting);
        }
        return result;
    }

    /// <summary>The resources a job gets or puts, anywhere in its plan and hooks.</summary>
    public static IEnumerable<string> ResourcesOf(JobConfig job) =>
        job.AllSteps().Select(step => step switch
        {
            GetStep get => get.Resource,
            PutStep put => put.Resource,
            _ => null,
        }).OfType<string>().Distinct();

    /// <summary>What is produced upstream of an environment: by its <c>from</c> jobs and environments.</summary>
    internal static HashSet<string> Upstream(PipelineConfig config, EnvironmentConfig environment,
        IReadOnlyDictionary<string, IReadOnlyList<string>> releases)
    {
        var produced = new HashSet<string>(StringComparer.Ordinal);
        foreach (var from in environment.From)
        {
            if (config.FindEnvironment(from) is not null && releases.TryGetValue(from, out var upstream))
            {
                produced.UnionWith(upstream);
            }
            else if (config.FindJob(from) is { } job)
            {
                produced.UnionWith(ResourcesOf(job));
            }
        }
        return produced;
    }

    private static IReadOnlyList<string> Resolve(PipelineConfig config, EnvironmentConfig environment,
        Dictionary<string, IReadOnlyList<string>> result, HashSet<string> visiting)
    {
        if (result.TryGetValue(environment.Name, out var known))
        {
            return known;
        }
        if (!visiting.Add(environment.Name))
        {
            return [];
        }
        IReadOnlyList<string> release;
        if (environment.Release.Count > 0)
        {
            release = environment.Release;
        }
        else if (environment.Instance is { ResourceName: { } instance })
        {
            release = [instance];
        }
        else
        {
            var collected = new List<string>();
            foreach (var from in environment.From)
            {
                var items = config.FindEnvironment(from) is { } upstream
                    ? Resolve(config, upstream, result, visiting)
                    : config.FindJob(from) is { } job ? ResourcesOf(job).ToList() : [];
                collected.AddRange(items.Where(item => !collected.Contains(item)));
            }
            release = collected;
        }
        visiting.Remove(environment.Name);
        result[environment.Name] = release;
        return release;
    }
}
