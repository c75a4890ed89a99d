using Ferry.Core.Pipelines;

namespace Ferry.Core.Validation;

internal static class GroupRules
{
    public static void Check(PipelineConfig config, DiagnosticBag diagnostics)
    {
        NamedItems.Check(config.Groups, "groups", g => g.Name, diagnostics);
        var grouped = new HashSet<string>(StringComparer.Ordinal);
        foreach (var group in config.Groups)
        {
            for (var i = 0; i < group.Jobs.Count; i++)
            {
                var job = group.Jobs[i];
                if (job.Contains('*', StringComparison.Ordinal))
                {
                    grouped.UnionWith(config.Jobs.Select(j => j.Name).Where(n => Glob.Matches(job, n)));
                }
                else if (config.FindJob(job) is null)
                {
                    diagnostics.Error(group.LocationOf($"jobs[{i}]"), group.Path, $"group '{group.Name}' has unknown job '{job}'");
                }
                else
                {
                    grouped.Add(job);
                }
            }
            for (var i = 0; i < group.Resources.Count; i++)
            {
                if (config.FindResource(group.Resources[i]) is null)
                {
                    diagnostics.Error(group.LocationOf($"resources[{i}]"), group.Path,
                        $"group '{group.Name}' has unknown resource '{group.Resources[i]}'");
                }
            }
        }
        if (config.Groups.Count == 0)
        {
            return;
        }
        foreach (var job in config.Jobs.Where(j => j.Name.Length > 0 && !grouped.Contains(j.Name)))
        {
            diagnostics.Error(job.Location, job.Path, $"job '{job.Name}' belongs to no group");
        }
    }
}

internal static class Glob
{
    public static bool Matches(string pattern, string name) =>
        System.Text.RegularExpressions.Regex.IsMatch(name,
            "^" + System.Text.RegularExpressions.Regex.Escape(pattern).Replace(@"\*", ".*", StringComparison.Ordinal) + "$",
            System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(1));
}
