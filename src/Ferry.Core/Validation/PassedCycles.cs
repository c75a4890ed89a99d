using Ferry.Core.Pipelines;
using Ferry.Core.Pipelines.Steps;

namespace Ferry.Core.Validation;

/// <summary>A version can never reach a job whose passed constraints lead back to itself.</summary>
internal static class PassedCycles
{
    public static void Check(PipelineConfig config, DiagnosticBag diagnostics)
    {
        var upstream = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var where = new Dictionary<(string Job, string Upstream), GetStep>();
        foreach (var job in config.Jobs.Where(j => j.Name.Length > 0))
        {
            var list = upstream.TryGetValue(job.Name, out var l) ? l : upstream[job.Name] = [];
            foreach (var get in job.AllSteps().OfType<GetStep>())
            {
                foreach (var passed in get.Passed.Where(p => config.FindJob(p) is not null))
                {
                    if (!list.Contains(passed))
                    {
                        list.Add(passed);
                    }
                    where.TryAdd((job.Name, passed), get);
                }
            }
        }
        foreach (var cycle in Cycles.Find(upstream))
        {
            var get = where[(cycle[0], cycle[1])];
            var index = get.Passed.ToList().IndexOf(cycle[1]);
            diagnostics.Error(get.LocationOf($"passed[{index}]"), get.Path + ".passed",
                $"cycle through passed: {string.Join(" -> ", Enumerable.Reverse(cycle))}");
        }
    }
}
