using Ferry.Engine.Promoting;
using Ferry.Engine.Scheduling;
using Ferry.Storage;

namespace Ferry.Server.Ui.Pipelines;

/// <summary>What one node of the graph shows beside its name: its colour (CSS classes), a second line, and what it waits for.</summary>
/// <param name="Why">The tooltip: what <c>ferry explain</c> says of the job or environment, a resource's failed check.</param>
/// <param name="ForEach">For an environment made per branch of a <c>for_each</c> resource (or its declaration): that resource.</param>
public sealed record NodeFacts(string Css, string Detail, string? Why, string? ForEach = null);

/// <summary>The live state the pipeline graph draws: job and environment status, releases, and the explain answers.</summary>
/// <param name="Environments">Every environment, the per-branch ones of a <c>for_each</c> too, by name.</param>
/// <remarks>Public only because a Razor component (GraphView) is, and takes it as a parameter.</remarks>
public sealed record GraphFacts(
    IReadOnlyDictionary<string, NodeFacts> Jobs,
    IReadOnlyDictionary<string, NodeFacts> Resources,
    IReadOnlyDictionary<string, NodeFacts> Environments)
{
    public static readonly GraphFacts None = new(new Dictionary<string, NodeFacts>(), new Dictionary<string, NodeFacts>(), new Dictionary<string, NodeFacts>());

    /// <summary>Reads them as the CLI's <c>explain</c>, <c>environments</c> and <c>resources</c> verbs do (the same engine services).</summary>
    internal static async Task<GraphFacts> ReadAsync(PipelineRecord pipeline, IReadOnlyList<JobStatus> jobs, IReadOnlyList<ResourceRecord> resources,
        JobExplainer explainer, Promotions promotions, CancellationToken cancellationToken)
    {
        var why = (await explainer.ExplainAllAsync(pipeline.Name, cancellationToken)).ToDictionary(e => e.Job, Why, StringComparer.Ordinal);
        var jobFacts = jobs.ToDictionary(j => j.Job.Name, j => new NodeFacts(j.CssClass, JobDetail(j), why.GetValueOrDefault(j.Job.Name)), StringComparer.Ordinal);
        var resourceFacts = resources.ToDictionary(r => r.Name, r => new NodeFacts(
            r.LastCheckError is null ? (r.PinnedVersionId is null ? "" : "pinned") : "check-failed",
            r.Type + (r.PinnedVersionId is null ? "" : " · pinned") + (r.LastCheckError is null ? "" : " · check failed"),
            r.LastCheckError is { } error ? $"the last check failed: {error}" : null), StringComparer.Ordinal);
        var environmentFacts = new Dictionary<string, NodeFacts>(StringComparer.Ordinal);
        try
        {
            var explained = (await promotions.ExplainAllAsync(pipeline.Name, cancellationToken)).ToDictionary(e => e.Environment, StringComparer.Ordinal);
            foreach (var env in await promotions.ListEnvironmentsAsync(pipeline.Name, cancellationToken))
                environmentFacts[env.Name] = Environment(env, explained.GetValueOrDefault(env.Name));
        }
        catch (PromotionLookupException)
        {
            // No stored config to read environments from: the graph draws them from the config alone, without state.
        }
        return new GraphFacts(jobFacts, resourceFacts, environmentFacts);
    }

    /// <summary>As <c>ferry explain -j</c> prints it: the verdict, then each blocked input and what blocks it.</summary>
    private static string Why(JobExplanation explanation)
    {
        var lines = new List<string> { explanation.Verdict };
        foreach (var input in explanation.Inputs.Where(i => i.Error is not null))
        {
            lines.Add($"input '{input.Name}': {input.Error}");
            lines.AddRange(input.Blockers.Select(b => b.Job is { } job ? $"by job '{job}': {b.Reason}" : b.Reason));
        }
        return string.Join("; ", lines);
    }

    private static string JobDetail(JobStatus job) =>
        (job.Finished is { } b ? $"#{b.Name} {job.LastStatus}" : "no build yet") + (job.Running is { } r ? $" · #{r.Name} running" : "") + (job.Job.Paused ? " · paused" : "");

    private static NodeFacts Environment(EnvironmentView env, ExplainView? explained)
    {
        var template = env.ForEach is not null && env.Branch is null;
        var status = template ? "template" : env.Status ?? "none";
        var detail = template
            ? $"one per version of {env.ForEach}"
            : (env.Current?.Name ?? "no release") + (env.Status is { } s ? $" · {s.Replace('_', ' ')}" : "") + (env.Hold is null ? "" : " · held");
        // As `ferry explain -p P -e E` prints it: the verdict, then why.
        var why = explained is null ? null
            : (explained.WouldPromote ? $"promotes {explained.Candidate} now" : explained.Candidate is null ? "nothing to promote now" : $"{explained.Candidate} waits")
              + $": {explained.Why}";
        return new NodeFacts($"env-{status}" + (env.Hold is null ? "" : " held"), detail, why, env.ForEach);
    }
}
