using Ferry.Core.Pipelines;
using Ferry.Core.Pipelines.Steps;

namespace Ferry.Core.Validation;

/// <summary>resources, resource_types, var_sources and display.</summary>
internal static class ResourceRules
{
    public static void Check(PipelineConfig config, DiagnosticBag diagnostics)
    {
        NamedItems.Check(config.Resources, "resources", r => r.Name, diagnostics);
        NamedItems.Check(config.ResourceTypes, "resource_types", t => t.Name, diagnostics);
        NamedItems.Check(config.VarSources, "var_sources", v => v.Name, diagnostics);
        var declaredTypes = config.ResourceTypes.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var resource in config.Resources)
        {
            if (resource.Type.Length == 0)
            {
                diagnostics.Error(resource.Location, resource.Path, "has no type");
            }
            else if (!declaredTypes.Contains(resource.Type) && !BaseResourceTypes.Names.Contains(resource.Type))
            {
                diagnostics.Warning(resource.LocationOf("type"), resource.Path + ".type",
                    $"unknown resource type '{resource.Type}': not a base type and not in resource_types");
            }
            Duration(resource, "check_every", resource.CheckEvery, allowNever: true, diagnostics);
            Duration(resource, "check_timeout", resource.CheckTimeout, allowNever: false, diagnostics);
        }
        foreach (var type in config.ResourceTypes)
        {
            if (type.Type.Length == 0)
            {
                diagnostics.Error(type.Location, type.Path, "has no type");
            }
            Duration(type, "check_every", type.CheckEvery, allowNever: true, diagnostics);
        }
        foreach (var source in config.VarSources.Where(v => v.Type.Length == 0))
        {
            diagnostics.Error(source.Location, source.Path, "has no type");
        }
        if (config.Display?.BackgroundImage is { } image && Uri.TryCreate(image, UriKind.Absolute, out var uri)
            && uri.Scheme is not ("http" or "https") && !image.StartsWith('/'))
        {
            diagnostics.Error(config.Display.LocationOf("background_image"), "display.background_image",
                "background_image scheme must be either http, https or relative");
        }
        Unused(config, diagnostics);
    }

    internal static void Duration(ConfigNode node, string field, string? value, bool allowNever, DiagnosticBag diagnostics)
    {
        if (value is null || value.Contains("((", StringComparison.Ordinal) || (allowNever && value == "never"))
        {
            return;
        }
        if (!GoDuration.TryParse(value, out _))
        {
            diagnostics.Error(node.LocationOf(field), $"{node.Path}.{field}", $"invalid duration '{value}'");
        }
    }

    private static void Unused(PipelineConfig config, DiagnosticBag diagnostics)
    {
        var used = new HashSet<string>(StringComparer.Ordinal);
        var steps = config.Jobs.SelectMany(j => j.AllSteps()).Concat(config.Environments.SelectMany(e => e.AllSteps()));
        foreach (var step in steps)
        {
            switch (step)
            {
                case GetStep get:
                    used.Add(get.Resource);
                    break;
                case PutStep put:
                    used.Add(put.Resource);
                    break;
            }
        }
        foreach (var environment in config.Environments)
        {
            used.UnionWith(environment.Release);
            if (environment.Instance?.ResourceName is { } instance)
            {
                used.Add(instance);
            }
            if (environment.ForEach is { } forEach)
            {
                used.Add(forEach);
            }
        }
        foreach (var resource in config.Resources.Where(r => r.Name.Length > 0 && !used.Contains(r.Name)))
        {
            diagnostics.Error(resource.LocationOf("name"), resource.Path, $"resource '{resource.Name}' is not used");
        }
    }
}
