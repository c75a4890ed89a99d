namespace Ferry.Core.Pipelines.Graph;

/// <summary>The shape of a pipeline: jobs, resources, the passed edges between jobs, and the environment chain.</summary>
public sealed record PipelineGraph(
    IReadOnlyList<GraphJob> Jobs,
    IReadOnlyList<GraphResource> Resources,
    IReadOnlyList<PassedEdge> PassedEdges,
    IReadOnlyList<GraphEnvironment> Environments)
{
    public static PipelineGraph Build(PipelineConfig config)
    {
        var jobNames = config.Jobs.Select(j => j.Name).ToHashSet(StringComparer.Ordinal);
        var jobs = config.Jobs.Select(job =>
        {
            var steps = job.AllSteps().ToList();
            var inputs = steps.OfType<Steps.GetStep>().Select(g => g.Resource).Distinct().ToList();
            var outputs = steps.OfType<Steps.PutStep>().Select(p => p.Resource).Distinct().ToList();
            return new GraphJob(job.Name, inputs, outputs);
        }).ToList();
        var edges = new List<PassedEdge>();
        foreach (var job in config.Jobs)
        {
            foreach (var get in job.AllSteps().OfType<Steps.GetStep>())
            {
                foreach (var upstream in get.Passed.Where(jobNames.Contains))
                {
                    var edge = new PassedEdge(upstream, job.Name, get.Resource);
                    if (!edges.Contains(edge))
                    {
                        edges.Add(edge);
                    }
                }
            }
        }
        var releases = EnvironmentReleases.Resolve(config);
        var environments = config.Environments
            .Select(e => new GraphEnvironment(e.Name, e.From, releases.TryGetValue(e.Name, out var r) ? r : [], e.ForEach))
            .ToList();
        var resources = config.Resources.Select(r => new GraphResource(r.Name, r.Type)).ToList();
        return new PipelineGraph(jobs, resources, edges, environments);
    }
}

/// <summary>A job with the resources it gets (inputs) and puts (outputs).</summary>
public sealed record GraphJob(string Name, IReadOnlyList<string> Inputs, IReadOnlyList<string> Outputs);

public sealed record GraphResource(string Name, string Type);

/// <summary>A version of <see cref="Resource"/> reaches <see cref="To"/> only after it passed <see cref="From"/>.</summary>
public sealed record PassedEdge(string From, string To, string Resource);

/// <param name="ForEach">For a <c>for_each</c> declaration: the resource whose branches each get an environment of their own.</param>
public sealed record GraphEnvironment(string Name, IReadOnlyList<string> From, IReadOnlyList<string> Release, string? ForEach = null);
