using Ferry.Core.Pipelines;

namespace Ferry.Core.Validation;

/// <summary>Checks a pipeline model against Concourse's rules and Ferry's environment rules.</summary>
public static class PipelineValidator
{
    /// <summary>Every finding, errors and warnings, each with its config path and place.</summary>
    public static IReadOnlyList<Diagnostic> Validate(PipelineConfig config)
    {
        var diagnostics = new DiagnosticBag();
        Validate(config, diagnostics);
        return diagnostics.Items;
    }

    internal static void Validate(PipelineConfig config, DiagnosticBag diagnostics)
    {
        ResourceRules.Check(config, diagnostics);
        JobRules.Check(config, diagnostics);
        PassedCycles.Check(config, diagnostics);
        GroupRules.Check(config, diagnostics);
        EnvironmentRules.Check(config, diagnostics);
    }
}
