using Ferry.Core.Pipelines;

namespace Ferry.Core.Validation;

/// <summary>Ferry's rules for <c>environments:</c>.</summary>
internal static class EnvironmentRules
{
    public static void Check(PipelineConfig config, DiagnosticBag diagnostics)
    {
        NamedItems.Check(config.Environments, "environments", e => e.Name, diagnostics);
        var releases = EnvironmentReleases.Resolve(config);
        var graph = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var environment in config.Environments)
        {
            var upstreamEnvironments = graph.TryGetValue(environment.Name, out var list) ? list : graph[environment.Name] = [];
            for (var i = 0; i < environment.From.Count; i++)
            {
                var from = environment.From[i];
                if (config.FindEnvironment(from) is not null)
                {
                    upstreamEnvironments.Add(from);
                }
                else if (config.FindJob(from) is null)
                {
                    diagnostics.Error(environment.LocationOf($"from[{i}]"), environment.Path + ".from", $"no job or environment named '{from}'");
                }
            }
            if (environment.Deploy.Count == 0 && environment.Instance is null)
            {
                diagnostics.Error(environment.Location, environment.Path, "must specify `deploy:` or `instance:`");
            }
            Release(config, environment, releases, diagnostics);
            Instance(config, environment, diagnostics);
            Approval(environment, diagnostics);
            if (environment.ForEach is { } forEach && config.FindResource(forEach) is null)
            {
                diagnostics.Error(environment.LocationOf("for_each"), environment.Path + ".for_each", $"unknown resource '{forEach}'");
            }
            if (environment.Has("env_keys") && environment.Instance is null)
            {
                diagnostics.Warning(environment.LocationOf("env_keys"), environment.Path + ".env_keys",
                    "only applies to an environment bound to an instance");
            }
            foreach (var plan in new[] { environment.Deploy, environment.Verify, environment.Teardown })
            {
                var steps = new StepRules(config, diagnostics);
                foreach (var step in plan)
                {
                    steps.Check(step);
                }
            }
            if (environment.OnFailure is { } onFailure)
            {
                new StepRules(config, diagnostics).Check(onFailure);
            }
        }
        foreach (var cycle in Cycles.Find(graph))
        {
            var environment = config.FindEnvironment(cycle[0])!;
            var index = environment.From.ToList().IndexOf(cycle[1]);
            diagnostics.Error(environment.LocationOf($"from[{index}]"), environment.Path + ".from",
                $"environments form a cycle: {string.Join(" -> ", Enumerable.Reverse(cycle))}");
        }
    }

    private static void Release(PipelineConfig config, EnvironmentConfig environment,
        IReadOnlyDictionary<string, IReadOnlyList<string>> releases, DiagnosticBag diagnostics)
    {
        var produced = EnvironmentReleases.Upstream(config, environment, releases);
        for (var i = 0; i < environment.Release.Count; i++)
        {
            var resource = environment.Release[i];
            var at = environment.LocationOf($"release[{i}]");
            if (config.FindResource(resource) is null)
            {
                diagnostics.Error(at, environment.Path + ".release", $"unknown resource '{resource}'");
            }
            else if (environment.From.Count > 0 && !produced.Contains(resource))
            {
                diagnostics.Error(at, environment.Path + ".release",
                    $"nothing upstream produces resource '{resource}': no job or environment in from: ({string.Join(", ", environment.From)}) gets or carries it");
            }
        }
    }

    private static void Instance(PipelineConfig config, EnvironmentConfig environment, DiagnosticBag diagnostics)
    {
        switch (environment.Instance)
        {
            case { ResourceName: { } name } binding when config.FindResource(name) is null:
                diagnostics.Error(binding.Location, binding.Path, $"unknown resource '{name}'");
                break;
            case { IsInline: true, Type: "" } inline:
                diagnostics.Error(inline.Location, inline.Path, "has no type");
                break;
        }
    }

    private static void Approval(EnvironmentConfig environment, DiagnosticBag diagnostics)
    {
        if (environment.Approval is not { } approval)
        {
            return;
        }
        if (approval.Required <= 0)
        {
            diagnostics.Error(approval.LocationOf("required"), approval.Path + ".required", "must be greater than 0");
        }
        if (environment.Promote == PromoteMode.Auto && approval.From.Count == 0)
        {
            diagnostics.Error(approval.Location, approval.Path,
                "approval on an automatic environment needs approvers: set approval.from, or promote: manual");
        }
    }
}
